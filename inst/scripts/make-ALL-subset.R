# Builds inst/extdata/ALL-subset.rds, the example data set of exprae.
#
# Source: the Bioconductor experiment data package ALL (Debian: r-bioc-all),
# licence Artistic-2.0. Chiaretti et al. (2004), Blood 103(7):2771-2778,
# "Gene expression profile of adult T-cell acute lymphocytic leukemia
# identifies distinct subsets of patients with different response to
# therapy and survival". 128 adult acute lymphoblastic leukaemia samples,
# Affymetrix HG-U95Av2 arrays, RMA-normalised log2 expression.
#
# The subset keeps all 128 samples and the 1000 probe sets with the largest
# variance across samples, stored in a SummarizedExperiment whose assay is
# named "logcounts" (it holds log2 expression) so that the defaults of
# trainAutoencoder() work on it. Values are rounded to 3 decimals (far below
# the precision of the arrays) to keep the file small.
#
# Run from the package root: Rscript inst/scripts/make-ALL-subset.R
suppressPackageStartupMessages({
    library(ALL)
    library(SummarizedExperiment)
})
data("ALL", package = "ALL")
expr <- Biobase::exprs(ALL)
keep <- order(apply(expr, 1, stats::var), decreasing = TRUE)[seq_len(1000)]
expr <- round(expr[sort(keep), ], 3)
pheno <- Biobase::pData(ALL)
info <- S4Vectors::DataFrame(
    BT = factor(pheno$BT),
    type = factor(substr(as.character(pheno$BT), 1, 1), c("B", "T")),
    sex = factor(pheno$sex),
    age = pheno$age,
    mol.biol = factor(pheno$mol.biol),
    row.names = colnames(expr)
)
se <- SummarizedExperiment(
    assays = list(logcounts = expr),
    colData = info,
    metadata = list(
        source = "Bioconductor package ALL (Chiaretti et al. 2004)",
        licence = "Artistic-2.0",
        description = paste(
            "RMA log2 expression, 1000 most variable probe sets,",
            "128 samples; rounded to 3 decimals"
        )
    )
)
out <- file.path("inst", "extdata", "ALL-subset.rds")
saveRDS(se, out, compress = "xz")
message("wrote ", out, " (", file.size(out), " bytes)")
