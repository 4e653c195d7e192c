#' Train an autoencoder on an expression matrix
#'
#' Fits an autoencoder whose encoder maps each sample's expression profile
#' to `ncomponents` latent values and whose decoder reconstructs the
#' profile from them. Training minimises the negative log-likelihood of
#' the data under the decoder's output (for the default Gaussian
#' likelihood, the mean squared reconstruction error) with minibatch
#' gradient descent in exprae's C++ engine.
#'
#' @section Defaults:
#' The defaults are chosen so that the embedding of `runAutoencoder()`
#' is at least as good as PCA's on real data (`bench/quality.R`: the
#' leave-one-out 5-NN accuracy of known labels, median and range over
#' seeds 1-5, against `scater::runPCA()` at 10 components of the same
#' 2000 genes). With the earlier defaults (two hidden relu layers of 256
#' and 64 units, 100 epochs, 0.1 held out) the autoencoder fell short of
#' PCA on HSMMSingleCell's hours (0.550 against 0.749) and bladderbatch's
#' cancer status (0.912 against 0.947), varied by 0.149 between seeds on
#' ALL's molecular classes, and missed simulated clusters (0.412 against
#' 0.910). Three defaults changed:
#' * `hidden = NULL`, a linear model: no non-linear network tried (one or
#'   two relu, elu or tanh layers of 64-256 units, with dropout 0.1-0.2,
#'   a smaller learning rate or up to 1000 epochs) came within 0.10 of
#'   PCA on HSMM (the best, tanh: 0.646), while a linear model matched
#'   it. On these data sets (57-500 samples) a non-linear decoder seems to
#'   fit noise that the labels do not follow. Give `hidden` (e.g.
#'   `c(256, 64)`) for a deep model.
#' * `epochs = NULL`: about 1000 optimizer steps, 100-300 epochs. A data
#'   set smaller than `batch_size` takes one step per epoch, so 100
#'   epochs were 100 steps, far from converged.
#' * `validation_split = NULL`: nothing held out below 1000 samples, as
#'   for [trainClassifier()]. A loss on a dozen held-out samples decides
#'   early stopping by chance; without it the training loss does.
#'
#' Measured together (5-NN median (range)): ALL 0.818 (0.033) against
#' PCA's 0.785, HSMM 0.756 (0.030) against 0.749, bladderbatch 0.965
#' (0.000) against 0.947, simulated counts 0.922 (0.020) against 0.910;
#' a fit of ALL took 0.5 s instead of 1.0 s (1 thread). For batch
#' correction (`batch = "batch"` on bladderbatch) see the section on
#' batches.
#'
#' @section Count likelihoods:
#' With `likelihood = "poisson"`, `"nb"` (negative binomial) or `"zinb"`
#' (zero-inflated negative binomial), the model is fitted to raw counts
#' (the SummarizedExperiment methods use the `"counts"` assay by default),
#' as in scVI and DCA. The encoder sees `log1p(counts / size factor)` of
#' each sample, not centred (centre 0) and, with `scale = TRUE`, divided by
#' each gene's standard deviation; `ntop` picks the genes whose
#' log1p-normalised counts vary most. The decoder gives the log of each
#' gene's mean per unit size factor (its last layer is always linear), the
#' mean of a sample being that times its size factor. `"nb"` and `"zinb"`
#' learn a dispersion per gene (`dispersion = "gene"`) or per gene and
#' batch (`"gene-batch"`), see [geneDispersion()]; `"zinb"` also learns
#' the log-odds of a dropout zero per gene and sample.
#'
#' Size factors are `size_factors` when given; else, for a
#' SummarizedExperiment, `sizeFactors(x)` (its `colData` column
#' `sizeFactor`) when set; else each sample's library size (total count
#' over the genes of the model) divided by the mean library size. The mean
#' is stored in the fit, so new samples get size factors on the same
#' scale.
#'
#' Count data are checked: negative values, non-integer values and samples
#' without any count in the genes used (their size factor would be 0) are
#' errors of class `exprae_error_counts`; bad `size_factors` (wrong length,
#' NA, outside \[1e-20, 1e20\]) of class `exprae_error_size_factors`.
#' Genes with zero counts in every sample (left only when fewer than `ntop`
#' genes vary) are dropped with a message of class
#' `exprae_message_zero_genes`.
#'
#' @section Variational and denoising autoencoders:
#' `variational = TRUE` makes the latent layer Gaussian: the encoder gives
#' a mean and a log-variance, training draws the latent with the
#' reparameterisation trick and adds the Kullback-Leibler divergence from
#' N(0, 1) to the loss, its weight rising linearly from 0 to 1 over the
#' first `kl_warmup` epochs. The embedding is the latent mean, so
#' [predict()][predict.AutoencoderFit] is deterministic unless asked to
#' sample. `corruption = "mask"` sets each encoder input value to 0 with
#' probability `corruption_rate`, and `corruption = "gaussian"` adds
#' N(0, `corruption_rate`^2) noise to it, in training only (a denoising
#' autoencoder); this works with every likelihood.
#'
#' @section Data larger than memory:
#' A DelayedMatrix (e.g. an HDF5Matrix from HDF5Array, or an assay of a
#' SummarizedExperiment saved with `saveHDF5SummarizedExperiment()`) is
#' never read whole. The statistics of the preprocessing (variances for
#' `ntop`, centre and scale, library sizes and count checks) are computed
#' block by block, and training streams blocks of consecutive samples
#' into the engine: each epoch visits the blocks in a random order and
#' shuffles the samples within each block, so a minibatch comes from one
#' or two blocks, and at most two blocks are in memory. Blocks hold about
#' 16 MiB of doubles (less if [DelayedArray::getAutoBlockSize()] is
#' smaller), at least `batch_size` samples and whole chunks of the file.
#' Store data by columns: an HDF5 file chunked by columns (all genes of a
#' few hundred samples per chunk) reads fastest; a plain HDF5Matrix is
#' read with rhdf5 directly. With `validation_split`, each epoch also reads
#' the held-out samples, which are spread over the whole file.
#'
#' @section Batches:
#' With `batch`, a one-hot code of each sample's batch enters the encoder
#' (beside the expression) and the decoder (beside the latent values), a
#' conditional autoencoder: the decoder can explain batch effects by the
#' batch, so the latent space need not hold them. `batch` is the name of a
#' `colData` column (SummarizedExperiment methods) or a vector or factor
#' with one value per sample; it needs at least two levels and no NA or
#' empty string (else an error of class `exprae_error_batch`). The levels
#' are stored in the fit: new data need a batch among them, or
#' `transform_batch` (see [predict()][predict.AutoencoderFit]).
#'
#' A conditional autoencoder alone leaves much of the batch in the latent
#' space, so by default (`batch_mmd = 0.05`) a batch MMD pulls the batches
#' together: the squared maximum mean discrepancy (Gretton et al. 2012) of
#' each batch's latent values against the other samples', with a Gaussian
#' kernel whose width is the minibatch's mean squared distance (so that
#' shrinking the latent space cannot meet it), averaged over the batches
#' and added to the loss with weight `batch_mmd` (trVAE, Lotfollahi et
#' al. 2020, uses such a term). It needs no biological label and no extra
#' network; in a minibatch of more than 128 samples, 128 of them (a random
#' subset) enter it. `batch_penalty` adds a batch adversary instead or as well
#' (adversarial confusion, as in Tzeng et al. 2015): a small classifier
#' (32 relu units, then one logit per batch) learns to tell each sample's
#' batch from its latent values, and the encoder is trained, with weight
#' `batch_penalty`, to make it answer every batch alike (its cross-entropy
#' against the uniform distribution). Both are used in training only; the
#' reported loss and early stopping leave their terms out.
#'
#' Where the biology is confounded with the batches (a group measured in
#' one batch only), pulling the batches together also blurs that group.
#' On bladderbatch (`bench/quality.R`, 5 batches, cancer status partly
#' confounded; 5-NN accuracy in the 10-d latent space, median (range)
#' over seeds 1-5) the default gave batch 0.439 (0.140) and cancer 0.912
#' (0.053), against 0.667 and 0.947 for PCA, 0.614 and 0.947 without
#' mixing (`batch_mmd = 0`), and 0.509 (0.263) and 0.877 (0.070) for the
#' adversary alone (`batch_penalty = 1, batch_mmd = 0`, the previous
#' default); over seeds 1-20, 0.456 and 0.895 against the
#' adversary's 0.439 and 0.842 (ranges 0.140 against 0.298). The cancer
#' status's silhouette fell from 0.150 (adversary) to 0.098. A larger
#' `batch_mmd` mixes more and keeps less of a confounded group (0.075:
#' batch 0.386, cancer 0.877). `batch_mmd = 0` gives the plain
#' conditional autoencoder.
#'
#' @section Semi-supervised autoencoders:
#' With `labels`, a classifier (128 relu units, dropout 0.5, then one
#' logit per class) reads the latent space (its mean, for a variational
#' model) and its softmax cross-entropy on the labelled samples, times
#' `label_weight`, is added to the loss; unlabelled samples (`NA`) train
#' the reconstruction only (scANVI's idea). The latent space is then
#' shaped by the labels, and [predict()][predict.AutoencoderFit] with
#' `type = "class"` or `"prob"`, [classifySamples()] and
#' [evaluateClassifier()] label new or unlabelled samples. Labels are
#' checked as for [trainClassifier()], and the validation split is
#' stratified by class. This works with every likelihood, `variational`
#' and `batch`.
#'
#' The classifier has a hidden layer because the default encoder is
#' linear: with one linear unit per class, encoder and classifier fitted
#' the few labelled samples together. On ALL's molecular classes with a
#' fifth of the samples labelled (`bench/classify.R`, 25 labels, seeds
#' 1-10) that classifier labelled the others no better than the majority
#' class does (accuracy 0.62) and the latent 5-NN accuracy fell below
#' the unsupervised model's (0.682 against 0.714); with the hidden layer
#' the classifier reached 0.78, and over seeds 1-50 the latent 5-NN
#' accuracy was 0.740 against 0.719 (median; higher for 29 seeds, equal
#' for 4, lower for 17). The gain is small: a handful of labels adds
#' little to a linear latent space.
#'
#' Genes are rows and samples are columns, as Bioconductor stores them.
#' Before training, exprae keeps the genes picked by `subset_row`, then the
#' `ntop` most variable of them (variance across samples, original order
#' kept), and centres every gene at its mean (and, with `scale = TRUE`,
#' divides it by its standard deviation; genes of zero variance are left
#' unscaled). Data in which no gene varies (every sample alike, e.g. all
#' zeros or the wrong assay) are an error of class `exprae_error_input`.
#' The centre and scale are stored in the fit and reused by
#' [predict()][predict.AutoencoderFit].
#'
#' The engine takes a double matrix or a sparse dgCMatrix as it is (sparse
#' data are centred per minibatch, never densified; on the CPU, a minibatch
#' with at most 15% non-zeros reaches the first layer as its non-zeros, so
#' that layer costs in proportion to them, unless the model has `batch`,
#' input corruption, a first layer other than dense or is a linear
#' variational one; results then differ from dense input's in the last
#' bits only). Integer data are
#' converted to double. Data without row names get
#' the gene names `gene1`, `gene2`, ...; the same names are given to
#' unnamed new data at prediction, which then lines up by position.
#'
#' The random seed of the engine (weight initialisation, shuffling,
#' dropout, validation split) is drawn from R's random number generator, so
#' `set.seed()` before the call makes the fit reproducible (for a given
#' `n_threads` and `precision`, on CPUs of the same kind: the engine picks
#' AVX-512 or AVX2 kernels where the CPU has them, the fit records which
#' (`show()`), and runs with different kernels may differ in the last
#' bits; the environment variable `EXPRAE_CPU_KERNELS` set to `"avx512"`,
#' `"avx2"` or `"generic"` before exprae is loaded sets the choice). It is
#' stored in the fit.
#'
#' Progress is shown with a cli progress bar (epoch, loss, validation loss)
#' unless `verbose = FALSE`. Pressing Ctrl-C stops training after the
#' current minibatch and returns the fit with a warning of class
#' `exprae_warning_interrupted`; a loss that becomes NaN or infinite stops
#' it with the best weights so far and a warning of class
#' `exprae_warning_non_finite`.
#'
#' @param x A numeric matrix, a dgCMatrix or a DelayedMatrix (genes x
#'   samples), a SummarizedExperiment, or a SingleCellExperiment.
#' @param ... For the generic, arguments passed to the methods. For the
#'   SummarizedExperiment and SingleCellExperiment methods, further
#'   arguments of the ANY method. An argument that no method takes (a
#'   misspelt one) is an error of class `exprae_error_argument` that names
#'   it.
#' @param assay.type Name (or index) of the assay to use; `NULL` uses
#'   `"counts"` for a count likelihood and `"logcounts"` otherwise. An
#'   error of class `exprae_error_assay` lists the available assays when it
#'   is not there.
#' @param dimred Name of a reducedDim of a SingleCellExperiment to train on
#'   instead of an assay (e.g. `"PCA"`); `NULL` uses `assay.type`.
#' @param ncomponents Number of latent components.
#' @param hidden Units of the hidden dense layers of the encoder; the
#'   decoder mirrors them. `NULL` (the default) or `integer(0)` gives a
#'   linear model; see the section on defaults.
#' @param activation Activation of the hidden layers: `"relu"`,
#'   `"leaky_relu"`, `"elu"`, `"tanh"`, `"sigmoid"`, `"softplus"` or
#'   `"linear"`.
#' @param dropout Dropout rate after each hidden layer, in \[0, 1).
#' @param encoder,decoder `NULL`, or a list of layers made with
#'   [layer_dense()], [layer_dropout()], [layer_batch_norm()] and
#'   [layer_layer_norm()] for a custom architecture; see [layers]. A custom
#'   `encoder` replaces `hidden`, `activation` and `dropout`; `decoder =
#'   NULL` mirrors the encoder.
#' @param likelihood `"gaussian"` (the default: mean squared error, for
#'   log-expression), or for raw counts `"poisson"`, `"nb"` or `"zinb"`;
#'   see the section on count likelihoods.
#' @param size_factors `NULL` or a positive number per sample, for count
#'   likelihoods; see the section on count likelihoods.
#' @param variational Train a variational autoencoder?
#' @param kl_warmup Epochs over which the weight of the KL term rises to 1
#'   (0: weight 1 from the start); used when `variational = TRUE`.
#' @param corruption Input corruption in training: `"none"`, `"mask"` or
#'   `"gaussian"`.
#' @param corruption_rate Probability of masking an input value (in
#'   \[0, 1)), or the standard deviation of the added noise; with
#'   `corruption = "none"` a rate other than the default is a warning.
#' @param batch `NULL`, the name of a `colData` column, or a vector or
#'   factor with one value per sample; see the section on batches.
#' @param batch_penalty `NULL` (the default weight, 0: no adversary) or a
#'   number >= 0: the weight of a batch adversary that pulls the batches
#'   together in the latent space (see the section on batches). Without
#'   `batch`, a weight above 0 is an error of class
#'   `exprae_error_argument`.
#' @param batch_mmd `NULL` (the default weight, 0.05, when `batch` is
#'   given) or a number >= 0: the weight of the batch MMD that pulls the
#'   batches together in the latent space (see the section on batches; on
#'   bladderbatch it lowered the batch's 5-NN accuracy from 0.614 to
#'   0.439, the cancer status's from 0.947 to 0.912); 0 turns it off.
#'   Without `batch`, a weight above 0 is an error of class
#'   `exprae_error_argument`.
#' @param dispersion `"gene"` or `"gene-batch"` (one dispersion per gene
#'   and batch; needs `batch`), for `"nb"` and `"zinb"`.
#' @param epochs Maximum number of passes over the training samples;
#'   `NULL` (the default) gives enough for about 1000 optimizer steps, at
#'   least 100 and at most 300 epochs (see the section on defaults).
#' @param batch_size Number of samples per minibatch.
#' @param learning_rate Learning rate of the optimizer.
#' @param optimizer `"adam"`, `"adamw"` (decoupled weight decay) or
#'   `"sgd"` (with `momentum`).
#' @param weight_decay Weight decay (L2 penalty), >= 0.
#' @param momentum Momentum of `"sgd"`, in \[0, 1).
#' @param validation_split Fraction of the samples held out to compute the
#'   validation loss, in \[0, 1); `NULL` (the default) holds out 0.1 of
#'   them from 1000 samples on, none below (see the section on
#'   defaults).
#' @param patience Stop when the validation loss (the training loss without
#'   validation) has not improved for this many epochs, and keep the best
#'   weights; 0 never stops early.
#' @param lr_decay Factor in (0, 1] applied to the learning rate when the
#'   loss has not improved for `lr_patience` epochs; 1 keeps it constant.
#' @param lr_patience Epochs without improvement before `lr_decay` applies.
#' @param clip_norm Largest global norm of the gradient (larger gradients
#'   are rescaled); 0 turns clipping off.
#' @param ntop Number of most variable genes to keep; `NULL` or `Inf` keeps
#'   all.
#' @param subset_row Genes to use (names, indices or a logical vector),
#'   before `ntop` is applied; `NULL` uses all.
#' @param scale Scale each gene to unit variance as well as centring it?
#' @param labels `NULL`, or the class of each sample for a semi-supervised
#'   autoencoder (see the section): the name of a `colData` column
#'   (SummarizedExperiment methods) or a vector or factor, `NA` for
#'   unlabelled samples.
#' @param label_weight Weight of the classifier's loss beside the
#'   reconstruction's, > 0. The default, 1, gave ALL's latent space the
#'   best median 5-NN accuracy of 0.5, 1, 2 and 5 with a fifth of the
#'   samples labelled (seeds 1-30: 0.740, 0.745, 0.729, 0.729; the
#'   unsupervised model 0.724; `bench/classify.R`).
#' @param n_threads Number of CPU threads of the engine: this many are
#'   used, at most one per processor. On a busy machine a thread without a
#'   core of its own leaves its work to the others instead of holding them
#'   up; results depend on `n_threads` only, not on how busy the machine
#'   is.
#' @param device `"auto"` (the first GPU when [cudaAvailable()], else the
#'   CPU, with a message when this build has CUDA and `verbose`), `"cpu"`,
#'   `"cuda"` (the first GPU) or `"cuda:N"` (GPU N, see [cudaDevices()]).
#'   A GPU that cannot be used is an error of class `exprae_error_device`.
#'   On a GPU the whole fit stays on the device, and so does the data when
#'   it is in memory (not streamed from HDF5), takes at most a quarter of
#'   the GPU's free memory and no `corruption` is drawn: each minibatch is
#'   then gathered on the GPU, not copied from R's memory at every step.
#'   The fit's weights are plain R data, so it predicts on the CPU like
#'   any other.
#' @param precision `"float"` (single precision, the default), `"double"`
#'   (CPU only) or `"tf32"` (float, with GPU matrix products in the
#'   TensorFloat-32 format of NVIDIA's tensor cores: faster, about 3
#'   significant digits in each product; the same as `"float"` on the
#'   CPU).
#' @param verbose Show a progress bar?
#'
#' @return An [AutoencoderFit] object.
#'
#' Invalid input is an error of class `exprae_error` and a subclass:
#' `exprae_error_argument` (a bad argument value), `exprae_error_input`
#' (data that are not numeric, hold NA/NaN/Inf, have fewer than 2 samples
#' or repeated gene names, or in which no gene varies across the samples
#' after `subset_row` and `ntop`), `exprae_error_counts`,
#' `exprae_error_size_factors`, `exprae_error_batch`, `exprae_error_assay`,
#' `exprae_error_genes` (in `subset_row`), `exprae_error_device` or
#' `exprae_error_engine`. An error raised by the engine itself has class
#' `exprae_error_engine` and, by its kind, `exprae_error_argument`,
#' `exprae_error_input`, `exprae_error_device` or
#' `exprae_error_out_of_memory` (memory exhausted on the host or the GPU).
#'
#' @seealso [calculateAutoencoder()] and [runAutoencoder()] for the
#'   embedding alone; [predict()][predict.AutoencoderFit],
#'   [as.data.frame()][as.data.frame.AutoencoderFit],
#'   [trainingHistory()] and [plot()][plot.AutoencoderFit]
#'   to use the fit.
#' @name trainAutoencoder
#' @aliases trainAutoencoder,ANY-method
#' @examples
#' se <- exampleALL()
#' set.seed(1)
#' fit <- trainAutoencoder(se, ncomponents = 2, hidden = 32, epochs = 20,
#'     n_threads = 1, verbose = FALSE)
#' fit
#' head(as.data.frame(fit))
#'
#' # any numeric matrix, genes x samples
#' m <- SummarizedExperiment::assay(se)
#' fit <- trainAutoencoder(m, ntop = 200, epochs = 5, verbose = FALSE)
#'
#' # a variational ZINB model of counts, conditioned on a batch
#' set.seed(1)
#' counts <- matrix(rnbinom(200 * 40, mu = 5, size = 2), 200,
#'     dimnames = list(paste0("g", 1:200), paste0("s", 1:40)))
#' batch <- rep(c("b1", "b2"), 20)
#' fit <- trainAutoencoder(counts, likelihood = "zinb", variational = TRUE,
#'     batch = batch, ncomponents = 2, hidden = 16, epochs = 5,
#'     n_threads = 1, verbose = FALSE)
#' fit
NULL

.train_autoencoder <- function(x, ncomponents = 10, hidden = NULL,
    activation = "relu", dropout = 0, encoder = NULL, decoder = NULL,
    likelihood = c("gaussian", "poisson", "nb", "zinb"),
    size_factors = NULL, variational = FALSE, kl_warmup = 10,
    corruption = c("none", "mask", "gaussian"), corruption_rate = 0.1,
    batch = NULL, dispersion = c("gene", "gene-batch"),
    batch_penalty = NULL, batch_mmd = NULL, epochs = NULL,
    batch_size = 128,
    learning_rate = 1e-3, optimizer = "adam", weight_decay = 0,
    momentum = 0.9, validation_split = NULL, patience = 10, lr_decay = 1,
    lr_patience = 5,
    clip_norm = 0, ntop = 2000, subset_row = NULL, scale = FALSE,
    labels = NULL, label_weight = 1, n_threads = 1, device = "auto",
    precision = "float", verbose = TRUE, ...) {
    .check_no_dots(..., .known = names(formals(.train_autoencoder)),
        .se_only = .se_arguments)
    train <- .autoencoder_training_options(NCOL(x), epochs = epochs,
        validation_split = validation_split, batch_size = batch_size,
        learning_rate = learning_rate, optimizer = optimizer,
        weight_decay = weight_decay, momentum = momentum,
        patience = patience, lr_decay = lr_decay, lr_patience = lr_patience,
        clip_norm = clip_norm, n_threads = n_threads, precision = precision)
    device <- .resolve_device(device, train$precision, isTRUE(verbose))
    settings <- .model_settings(likelihood, variational, kl_warmup,
        corruption, corruption_rate, dispersion)
    arch <- .check_architecture(ncomponents, hidden, activation, dropout)
    ntop <- .check_ntop(ntop)
    scale <- .check_flag(scale, "scale")
    verbose <- .check_flag(verbose, "verbose")
    data <- .training_data(.training_matrix(x, subset_row), ntop, scale,
        settings$likelihood, size_factors)
    batch <- .training_batch(batch, ncol(data$x), colnames(data$x))
    labels <- if (!is.null(labels)) .training_labels(labels, ncol(data$x),
        colnames(data$x))
    model <- c(.build_model(nrow(data$x), arch$ncomponents, arch$hidden,
        arch$activation, arch$dropout, encoder, decoder),
        .model_fields(settings, batch), .label_fields(labels, label_weight),
        .mixing_fields(batch, batch_penalty, batch_mmd))
    options <- .engine_options(c(train,
        settings[c("corruption", "corruption_rate", "kl_warmup")]),
        device = device, size_factors = data$size_factors,
        batch = batch$codes, log1p = isTRUE(data$counts$log1p),
        labels = labels$codes, validation = if (!is.null(labels))
            .stratified_validation(labels$codes, train$validation_split),
        seed = as.numeric(sample.int(.Machine$integer.max, 2L)))
    result <- .run_engine(data$x, data$prep, model, options, verbose = verbose)
    options <- .autoencoder_fit_options(options, arch, ntop, scale,
        settings, data, batch, labels)
    .new_fit(data, batch, model, options, result, device)
}

# What an autoencoder's fit keeps of its options (see .fit_options()).
.autoencoder_fit_options <- function(options, arch, ntop, scale, settings,
    data, batch, labels) {
    .fit_options(options,
        list(ncomponents = arch$ncomponents, ntop = ntop, scale = scale),
        settings[c("likelihood", "variational", "dispersion")], data$counts,
        list(batch_levels = batch$levels, classes = labels$classes,
            labelled = if (!is.null(labels)) sum(labels$codes > 0L)))
}

#' @rdname trainAutoencoder
#' @export
setMethod("trainAutoencoder", "ANY", .train_autoencoder)

#' @rdname trainAutoencoder
#' @export
setMethod("trainAutoencoder", "SummarizedExperiment",
    function(x, ..., likelihood = c("gaussian", "poisson", "nb", "zinb"),
        batch = NULL, size_factors = NULL, assay.type = NULL,
        dimred = NULL, labels = NULL) {
        # .pick_matrix() explains that `dimred` needs an SCE
        .train_se(x, ..., likelihood = likelihood, batch = batch,
            size_factors = size_factors, assay.type = assay.type,
            dimred = dimred, labels = labels)
    })

#' @rdname trainAutoencoder
#' @export
setMethod("trainAutoencoder", "SingleCellExperiment",
    function(x, ..., likelihood = c("gaussian", "poisson", "nb", "zinb"),
        batch = NULL, size_factors = NULL, assay.type = NULL,
        dimred = NULL, labels = NULL) {
        .train_se(x, ..., likelihood = likelihood, batch = batch,
            size_factors = size_factors, assay.type = assay.type,
            dimred = dimred, labels = labels)
    })

# The SummarizedExperiment defaults: the "counts" assay and sizeFactors(x)
# for count likelihoods, "logcounts" otherwise; a batch column by name.
.train_se <- function(x, ..., likelihood, batch, size_factors, assay.type,
    dimred, labels = NULL) {
    likelihood <- .match_choice(likelihood, "likelihood", .likelihoods())
    .check_one_source(assay.type, dimred)
    if (is.null(dimred)) {
        assay.type <- assay.type %||% .default_assay(likelihood)
    }
    if (.is_count_model(likelihood)) {
        size_factors <- .training_size_factors(x, size_factors)
    }
    y <- .pick_matrix(x, assay.type, dimred)
    fit <- .train_autoencoder(y, ..., likelihood = likelihood,
        batch = .batch_from_se(x, batch), size_factors = size_factors,
        labels = if (!is.null(labels)) .labels_from_se(x, labels))
    fit <- .with_sample_data(fit, x, assay.type = if (is.null(dimred))
        assay.type, dimred = dimred)
    if (is.character(batch) && length(batch) == 1L &&
        batch %in% colnames(SummarizedExperiment::colData(x))) {
        fit@options$batch_column <- batch
    }
    fit
}

.default_assay <- function(likelihood) {
    if (.is_count_model(likelihood)) "counts" else "logcounts"
}

# A semi-supervised autoencoder's classifier on the latent space, its loss
# weighted by label_weight. A hidden layer with dropout, not one linear
# unit per class: with the linear encoder, linear logits let encoder and
# classifier fit the few labelled samples together (ALL, 25 labels: the
# classifier labelled the rest at about the majority class's rate, 0.62,
# and the latent 5-NN fell below the unsupervised model's, bench/
# RESULTS.md 2026-12-01).
.label_fields <- function(labels, label_weight) {
    if (is.null(labels)) {
        if (!isTRUE(all.equal(label_weight, 1))) {
            .warn("argument", c(
                "{.arg label_weight} weighs the classifier of {.arg labels};
                without labels it is ignored.",
                i = "Give {.arg labels} for a semi-supervised autoencoder."
            ))
        }
        return(NULL)
    }
    if (identical(label_weight, 0) || identical(label_weight, 0L)) {
        .abort("argument", c(
            "{.arg label_weight} is 0, so the classifier on the latent space
            would never be trained (its predictions would mean nothing).",
            i = "Give a positive weight, or {.code labels = NULL} for an
                unsupervised autoencoder."
        ))
    }
    list(classifier = list(layer_dense(128, "relu"), layer_dropout(0.5),
        layer_dense(length(labels$classes), "linear")),
        label_weight = .check_number(label_weight, "label_weight", 0,
            open = "lower"))
}

# The model fields of the likelihood, latent and batch settings.
.model_fields <- function(settings, batch) {
    if (settings$dispersion == "gene-batch" &&
        (is.null(batch) || !settings$likelihood %in% c("nb", "zinb"))) {
        .abort("argument", c(
            "{.code dispersion = \"gene-batch\"} needs {.arg batch} and an
            {.val nb} or {.val zinb} likelihood.",
            x = "The likelihood is {.val {settings$likelihood}}, with
                {if (is.null(batch)) 'no' else 'a'} batch."
        ))
    }
    list(likelihood = settings$likelihood,
        variational = settings$variational,
        n_batches = length(batch$levels),
        dispersion = settings$dispersion)
}
