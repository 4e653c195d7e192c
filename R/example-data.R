#' Example data: acute lymphoblastic leukaemia expression
#'
#' Loads the data set bundled with exprae: RMA-normalised log2 expression
#' of the 1000 most variable probe sets of 128 adult acute lymphoblastic
#' leukaemia (ALL) samples (Affymetrix HG-U95Av2 arrays), from the
#' Bioconductor experiment data package ALL (Chiaretti et al. 2004;
#' licence Artistic-2.0). The assay is named `"logcounts"` (it holds log2
#' expression) so that the defaults of [trainAutoencoder()] apply; values
#' are rounded to 3 decimals. The script that made it is
#' `system.file("scripts", "make-ALL-subset.R", package = "exprae")`; the
#' file is `system.file("extdata", "ALL-subset.rds", package = "exprae")`.
#'
#' The `colData` holds `BT` (B- or T-cell lineage and stage: B, B1-B4, T,
#' T1-T4), `type` (lineage, B or T), `sex`, `age` and `mol.biol`
#' (molecular biology: BCR/ABL, ALL1/AF4, E2A/PBX1, NEG, NUP-98, p15/p16).
#'
#' @references Chiaretti S, Li X, Gentleman R, et al. (2004). Gene
#'   expression profile of adult T-cell acute lymphocytic leukemia
#'   identifies distinct subsets of patients with different response to
#'   therapy and survival. *Blood* 103(7):2771-2778.
#'
#' @return A SummarizedExperiment with 1000 rows (probe sets) and 128
#'   columns (samples).
#' @export
#' @examples
#' se <- exampleALL()
#' se
#' table(se$type)
exampleALL <- function() {
    readRDS(system.file("extdata", "ALL-subset.rds", package = "exprae",
        mustWork = TRUE))
}
