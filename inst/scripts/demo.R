# exprae demo: trains an autoencoder with the default settings on the
# bundled ALL data (1000 genes x 128 leukaemia samples) and writes
#   <out>/embedding.csv  one row per sample: sample, AE1..AE10, annotation
#   <out>/loss.png       training and validation loss per epoch
#   <out>/embedding.png  the samples in the latent space (its first two
#                        principal components), coloured by B/T lineage
#
# Usage: Rscript inst/scripts/demo.R [out]     (out defaults to demo-output)
suppressPackageStartupMessages(library(exprae))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0L) args[[1L]] else "demo-output"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

se <- exampleALL()
set.seed(2024)
fit <- trainAutoencoder(se)
print(fit)

embedding <- as.data.frame(fit)
utils::write.csv(embedding, file.path(out, "embedding.csv"),
    row.names = FALSE)

ggplot2::ggsave(file.path(out, "loss.png"), plot(fit),
    width = 6, height = 4, dpi = 100)

latent <- fit@embedding
pcs <- stats::prcomp(latent)$x
shown <- data.frame(PC1 = pcs[, 1], PC2 = pcs[, 2], lineage = se$type)
scatter <- ggplot2::ggplot(shown,
    ggplot2::aes(.data$PC1, .data$PC2, colour = .data$lineage)) +
    ggplot2::geom_point() +
    ggplot2::labs(
        title = "ALL samples in the autoencoder's latent space",
        x = "Latent PC1", y = "Latent PC2", colour = "Lineage"
    ) +
    ggplot2::theme_bw()
ggplot2::ggsave(file.path(out, "embedding.png"), scatter,
    width = 6, height = 4.5, dpi = 100)

# How well the latent space keeps B and T cells apart: leave-one-out
# 5-nearest-neighbour accuracy.
d <- as.matrix(stats::dist(latent))
diag(d) <- Inf
vote <- apply(d, 1, function(row) {
    names(which.max(table(se$type[order(row)[1:5]])))
})
cat(sprintf("B/T leave-one-out 5-NN accuracy in the latent space: %.3f\n",
    mean(vote == se$type)))
cat("Wrote", file.path(out, c("embedding.csv", "loss.png",
    "embedding.png")), sep = "\n  ")
cat("\n")
