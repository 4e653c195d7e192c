#!/bin/sh
# Installs every system and R dependency of exprae from Debian packages.
# Nothing else is reachable on the build machines, so nothing else is used.
set -e
if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
else
    SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    r-base-dev r-cran-rcpp r-cran-rcppeigen r-cran-matrix r-cran-cli \
    r-cran-ggplot2 r-cran-testthat r-cran-roxygen2 r-cran-knitr \
    r-cran-rmarkdown r-bioc-biocgenerics r-bioc-s4vectors \
    r-bioc-summarizedexperiment r-bioc-singlecellexperiment \
    r-bioc-biocstyle r-bioc-all r-bioc-bladderbatch \
    r-bioc-delayedarray r-bioc-biocparallel r-cran-generics \
    r-bioc-hdf5array r-bioc-rhdf5 r-bioc-scater r-bioc-hsmmsinglecell \
    r-bioc-bioccheck r-bioc-biocversion r-cran-callr r-cran-withr \
    r-cran-gridextra r-bioc-biostrings r-bioc-pwmenrich \
    pandoc qpdf tidy devscripts cmake g++ make libgtest-dev \
    python3-torch libopenblas0-pthread \
    >/dev/null
