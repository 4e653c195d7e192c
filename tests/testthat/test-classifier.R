# trainClassifier(), its predictions, classifySamples(), evaluateClassifier()
# and semi-supervised autoencoders, on the test data's two groups ("a"
# and "b" differ in every gene) and on ALL's B/T lineage.

fast_classifier <- function(x, ...) {
    args <- utils::modifyList(list(hidden = 8, epochs = 60, batch_size = 8,
        n_threads = 1, verbose = FALSE), list(...))
    do.call(trainClassifier, c(list(x), args))
}

test_that("a classifier learns two groups and predicts by gene name", {
    fit <- withr::with_seed(1, fast_classifier(test_se, labels = "group"))
    expect_s4_class(fit, "ClassifierFit")
    expect_s4_class(fit, "ExpraeFit")
    expect_identical(fit@options$classes, c("a", "b"))
    expect_identical(fit@options$label_column, "group")
    expect_identical(dim(fit@embedding), c(24L, 2L))
    expect_equal(unname(rowSums(fit@embedding)), rep(1, 24))
    # the genes in another order, with an extra one: matched by name
    shuffled <- rbind(test_mat[rev(rownames(test_mat)), ], extra = 0)
    classes <- predict(fit, shuffled)
    expect_s3_class(classes, "factor")
    expect_identical(levels(classes), c("a", "b"))
    expect_identical(names(classes), colnames(test_mat))
    expect_gte(mean(classes == test_se$group), 0.9)
    probs <- predict(fit, test_mat, type = "prob")
    expect_equal(unname(rowSums(probs)), rep(1, 24))
    expect_equal(probs, predict(fit, shuffled, type = "prob"))
    expect_identical(dim(predict(fit, test_mat, type = "latent")), c(24L, 8L))
    expect_identical(trainingHistory(fit), fit@history)
    expect_output(show(fit), "ClassifierFit: 40 genes -> 2 classes")
})

test_that("the validation split is stratified and set.seed repeats a fit", {
    labels <- rep(c("x", "y", "z"), c(10, 20, 30))
    held <- withr::with_seed(3, .stratified_validation(
        match(labels, c("x", "y", "z")), 0.2))
    expect_identical(as.vector(table(labels[held])), c(2L, 4L, 6L))
    a <- withr::with_seed(4, fast_classifier(test_mat,
        labels = test_se$group, epochs = 3, validation_split = 0.2))
    b <- withr::with_seed(4, fast_classifier(test_mat,
        labels = test_se$group, epochs = 3, validation_split = 0.2))
    expect_identical(a@weights, b@weights)
    expect_identical(a@validation, b@validation)
    expect_length(a@validation, 4L)  # 20% of 12 in each class, twice
    # patience: 15 epochs, or 100 optimizer steps of few-step epochs
    expect_identical(.default_patience(200, 16, 0), 15L)
    expect_identical(.default_patience(30, 16, 0), 50L)
    expect_identical(.default_patience(30, 8, 0.2), 34L)
    expect_identical(a@options$patience, 34L)  # 3 minibatches of 8
    # by default nothing is held out from a small data set
    expect_length(withr::with_seed(4, fast_classifier(test_mat,
        labels = test_se$group, epochs = 1))@validation, 0L)
})

test_that("class weights and unlabelled samples are taken", {
    labels <- test_se$group
    labels[1:6] <- NA
    fit <- withr::with_seed(5, fast_classifier(test_mat, labels = labels,
        class_weights = "balanced", hidden = integer()))
    expect_equal(fit@options$class_weights, c(1, 1))
    expect_length(fit@weights, 2L)  # a logistic regression
    expect_true(any(grepl("samples: 24, 18 labelled (0 held out",
        capture.output(show(fit)), fixed = TRUE)))
    w <- .class_weights(c(b = 3, a = 1), list(classes = c("a", "b"),
        codes = c(1L, 2L)))
    expect_identical(w, c(1, 3))
    expect_error(fast_classifier(test_mat, labels = test_se$group,
        class_weights = c(a = 1)), "class_weights",
        class = "exprae_error_argument")
})

test_that("bad labels are classed errors that name the fix", {
    expect_error(fast_classifier(test_mat, labels = c("a", "b")),
        "one value per sample", class = "exprae_error_labels")
    expect_error(fast_classifier(test_mat, labels = rep("a", 24)),
        "at least 2 classes", class = "exprae_error_labels")
    expect_error(fast_classifier(test_mat, labels = rep(NA, 24)),
        "Every label is NA", class = "exprae_error_labels")
    expect_error(fast_classifier(test_se, labels = "nope"),
        "not a column", class = "exprae_error_labels")
    named <- stats::setNames(test_se$group, colnames(test_mat))
    expect_error(fast_classifier(test_mat, labels = rev(named)),
        "not as the samples are", class = "exprae_error_labels")
    expect_s4_class(withr::with_seed(20, fast_classifier(test_mat,
        labels = named, epochs = 1)), "ClassifierFit")
    single <- c("c", rep(c("a", "b"), length.out = 23))
    expect_warning(withr::with_seed(6, fast_classifier(test_mat,
        labels = single, epochs = 2)), "single labelled",
        class = "exprae_warning_labels")
    fit <- withr::with_seed(7, fast_classifier(test_se, labels = "group",
        epochs = 2))
    expect_error(predict(fit, test_mat[1:30, ]), class = "exprae_error_genes")
    expect_error(evaluateClassifier(fit, test_mat,
        labels = rep(c("a", "c"), 12)), "not among the fit's classes",
        class = "exprae_error_labels")
})

test_that("NA, NaN and an NA factor level mean unlabelled everywhere", {
    labels <- test_se$group
    labels[1:4] <- NA
    with_level <- addNA(factor(labels))  # NA as a level of its own
    fit <- withr::with_seed(13, fast_classifier(test_mat,
        labels = with_level, epochs = 2))
    expect_identical(fit@options$classes, c("a", "b"))
    expect_identical(sum(fit@options$training_labels == 0L), 4L)
    expect_false(anyNA(predict(fit, test_mat)))
    judged <- evaluateClassifier(fit, test_mat, with_level)
    expect_equal(judged$value[judged$metric == "support"],
        as.vector(table(labels)))  # the NA-level samples left out
    numbers <- ifelse(test_se$group == "a", 1, 2)
    numbers[1:2] <- NaN
    fit <- withr::with_seed(14, fast_classifier(test_mat, labels = numbers,
        epochs = 2))
    expect_identical(fit@options$classes, c("1", "2"))
    numbers[3] <- Inf
    expect_error(fast_classifier(test_mat, labels = numbers), "infinite",
        class = "exprae_error_labels")
    expect_error(fast_classifier(test_mat,
        labels = replace(test_se$group, 1, "")), "empty strings",
        class = "exprae_error_labels")
    expect_warning(withr::with_seed(15, fast_classifier(test_mat,
        labels = rep(c(0.5, 1.5), 12), epochs = 1)), "fractions",
        class = "exprae_warning_labels")
})

test_that("a fit, new data and arguments that are not what they should be", {
    fit <- withr::with_seed(16, fast_classifier(test_se, labels = "group",
        epochs = 2))
    expect_error(classifySamples(list(), test_mat), "Expected an",
        class = "exprae_error_fit")
    expect_error(evaluateClassifier(test_se, fit, "group"), "Expected an",
        class = "exprae_error_fit")
    expect_error(runClassifier(test_se, list()), "Expected an",
        class = "exprae_error_fit")
    expect_error(predict(fit, test_mat[, 1]), "drop = FALSE",
        class = "exprae_error_input")
    expect_error(predict(fit, unname(test_mat)), "no row names",
        class = "exprae_error_genes")
    expect_error(evaluateClassifier(fit, test_mat[, 1], "a"),
        "must be a matrix", class = "exprae_error_input")
    expect_error(predict(fit, test_mat, devise = "cpu"), "devise",
        class = "exprae_error_argument")
    expect_error(classifySamples(fit, test_mat, type = "class"),
        "cannot be given here", class = "exprae_error_argument")
    expect_error(runClassifier(test_se, fit, type = "prob"),
        "cannot be given here", class = "exprae_error_argument")
    expect_error(augment(fit, test_mat, type = "class"),
        "cannot be given here", class = "exprae_error_argument")
    expect_error(evaluateClassifier(fit, test_se, "group", type = "class"),
        "cannot be given here", class = "exprae_error_argument")
    expect_error(evaluateClassifier(fit, test_se, "group", newdata = test_se),
        "cannot be given here", class = "exprae_error_argument")
    one_class <- fit
    one_class@options$classes <- "a"  # damaged, not "no classifier"
    expect_error(evaluateClassifier(one_class, test_se, "group"), "damaged",
        class = "exprae_error_fit")
    no_layers <- fit
    no_layers@model$encoder <- "x"
    expect_error(predict(no_layers, test_mat, type = "latent"), "damaged",
        class = "exprae_error_fit")
    expect_error(fast_classifier(test_mat,
        labels = as.raw(rep(1:2, 12))), "character, numeric or logical",
        class = "exprae_error_labels")
    linear <- withr::with_seed(18, fast_classifier(test_mat,
        labels = test_se$group, hidden = integer(0), epochs = 1))
    expect_error(predict(linear, test_mat, type = "latent"),
        "no hidden layer", class = "exprae_error_argument")
    expect_identical(dim(predict(fit, test_mat, type = "latent")),
        c(ncol(test_mat), 8L))
    unnamed <- test_mat
    colnames(unnamed)[2] <- NA
    expect_error(classifySamples(fit, unnamed), "NA",
        class = "exprae_error_input")
    expect_error(fast_classifier(test_mat, labels = test_se$group,
        hidden = 3e9), "hidden", class = "exprae_error_argument")
    expect_error(fast_classifier(test_mat, labels = test_se$group,
        class_weights = c(a = 1, a = 2, b = 1)), "class_weights",
        class = "exprae_error_argument")
    expect_warning(withr::with_seed(17, fast_classifier(test_mat,
        labels = test_se$group, class_weights = c(a = 1, b = 1, d = 2),
        epochs = 1)), "not a class", class = "exprae_warning_labels")
    # one class's samples only: no AUROC, NA rather than NaN
    judged <- evaluateClassifier(fit, test_mat[, test_se$group == "a"],
        rep("a", 12))
    expect_identical(judged$value[judged$metric == "macro_auroc"], NA_real_)
})

test_that("classifySamples() is shaped like SingleR's results", {
    fit <- withr::with_seed(8, fast_classifier(test_se, labels = "group"))
    res <- classifySamples(fit, test_se, min_prob = 0.99)
    expect_s4_class(res, "DataFrame")
    expect_identical(colnames(res), c("scores", "labels", "pruned.labels"))
    expect_identical(rownames(res), colnames(test_se))
    expect_identical(colnames(res$scores), c("a", "b"))
    low <- apply(res$scores, 1, max) < 0.99
    expect_identical(is.na(res$pruned.labels), unname(low))
    expect_identical(res$labels[!low], res$pruned.labels[!low])
    expect_identical(classifySamples(fit)$labels,
        as.character(predict(fit)))
})

test_that("metrics match hand-computed values", {
    truth <- factor(c("a", "a", "a", "b", "b", "c"), levels = c("a", "b",
        "c"))
    # predictions: a a b b b a (by the largest probability)
    probs <- rbind(c(.8, .1, .1), c(.6, .3, .1), c(.2, .7, .1),
        c(.1, .8, .1), c(.3, .6, .1), c(.5, .2, .3))
    colnames(probs) <- levels(truth)
    m <- .classification_metrics(truth, probs)
    value <- function(metric, class = NA) {
        m$value[m$metric == metric & (is.na(class) & is.na(m$class) |
            m$class %in% class)]
    }
    expect_equal(value("accuracy"), 4 / 6)
    expect_equal(value("recall", "a"), 2 / 3)
    expect_equal(value("precision", "b"), 2 / 3)
    expect_equal(value("f1", "c"), 0)
    expect_equal(value("balanced_accuracy"), (2 / 3 + 1 + 0) / 3)
    f1 <- c(2 * (2 / 3) * (2 / 3) / (4 / 3), 2 * (2 / 3) / (5 / 3), 0)
    expect_equal(value("macro_f1"), mean(f1))
    # a class predicted but absent from the truth counts in macro F1 with
    # F1 0, as in scikit-learn; balanced accuracy averages the truth's
    # (c neither present nor predicted: left out, a and b's F1 0.8 each)
    m2 <- .classification_metrics(truth[1:5], probs[1:5, ])
    expect_equal(m2$value[m2$metric == "macro_f1"], 0.8)
    absent <- factor(c("a", "a", "b", "b"), levels = c("a", "b", "c"))
    p3 <- rbind(c(.8, .1, .1), c(.1, .1, .8), c(.1, .8, .1), c(.1, .1, .8))
    colnames(p3) <- levels(absent)
    m3 <- .classification_metrics(absent, p3)
    expect_equal(m3$value[m3$metric == "macro_f1"], mean(c(2 / 3, 2 / 3, 0)))
    expect_equal(m3$value[m3$metric == "balanced_accuracy"], 0.5)
    expect_equal(value("weighted_f1"), sum(f1 * c(3, 2, 1)) / 6)
    expect_equal(value("support", "b"), 2)
    # class c's sample has the highest c score of all: AUROC 1
    expect_equal(value("auroc", "c"), 1)
    expect_equal(.auroc(c(0.1, 0.4, 0.35, 0.8), c(FALSE, FALSE, TRUE, TRUE)),
        0.75)
    confusion <- attr(m, "confusion")
    expect_identical(names(confusion), c("truth", "predicted", "n"))
    expect_identical(confusion$n[confusion$truth == "c" &
        confusion$predicted == "a"], 1L)
})

test_that("a classifier on ALL's lineage is judged on held-out samples", {
    se <- exampleALL()
    train <- seq(1, ncol(se), by = 2)
    fit <- withr::with_seed(9, trainClassifier(se[, train], labels = "type",
        hidden = 16, epochs = 40, n_threads = 1, verbose = FALSE))
    m <- evaluateClassifier(fit, se[, -train], labels = "type")
    expect_gte(m$value[m$metric == "accuracy"], 0.95)
    expect_gte(m$value[m$metric == "macro_auroc"], 0.95)
    # a saved fit predicts the same after reading it back
    path <- withr::local_tempfile(fileext = ".rds")
    saveRDS(fit, path)
    expect_identical(predict(readRDS(path), se[, -train]),
        predict(fit, se[, -train]))
})

test_that("a semi-supervised autoencoder labels the unlabelled", {
    labels <- test_se$group
    labels[-c(1:8)] <- NA
    # no validation: two held-out samples would stop training at once
    fit <- withr::with_seed(10, fast_fit(test_se, labels = labels,
        epochs = 200, label_weight = 2, validation_split = 0))
    expect_s4_class(fit, "AutoencoderFit")
    expect_identical(fit@options$classes, c("a", "b"))
    expect_identical(fit@model$label_weight, 2)
    classes <- predict(fit, test_se, type = "class")
    expect_gte(mean(classes[-c(1:8)] == test_se$group[-c(1:8)]), 0.8)
    expect_identical(dim(predict(fit, test_se, type = "prob")), c(24L, 2L))
    expect_identical(dim(predict(fit)), c(24L, 2L))  # the latent, as before
    m <- evaluateClassifier(fit, test_se, labels = "group")
    expect_true(all(c("accuracy", "macro_f1") %in% m$metric))
    # show() and glance() tell it from an unsupervised autoencoder
    out <- capture.output(show(fit))
    expect_true(any(grepl("classes: a, b", out, fixed = TRUE)))
    expect_true(any(grepl(
        "classifier: 2 -> 128 relu -> dropout 0.5 -> 2 linear, loss weight 2",
        out, fixed = TRUE)))
    expect_true(any(grepl("samples: 24, 8 labelled (0 held out", out,
        fixed = TRUE)))
    expect_true(all(nchar(out) <= 80))
    expect_identical(glance(fit)$classes, 2L)
    expect_identical(glance(test_fit)$classes, 0L)
    expect_false(any(grepl("classes:|classifier:|labelled",
        capture.output(show(test_fit)))))
    expect_error(predict(test_fit, test_se, type = "class"),
        "no classifier", class = "exprae_error_argument")
    expect_error(fast_fit(test_se, labels = labels, label_weight = 0),
        "never be trained", class = "exprae_error_argument")
})

test_that("a semi-supervised classifier is the documented hidden layer", {
    labels <- test_se$group
    labels[-c(1:8)] <- NA
    fit <- withr::with_seed(10, fast_fit(test_se, labels = labels,
        epochs = 2, validation_split = 0))
    head <- fit@model$classifier
    expect_identical(vapply(head, `[[`, "", "type"),
        c("dense", "dropout", "dense"))
    expect_identical(head[[1]]$units, 128L)
    expect_identical(head[[1]]$activation, "relu")
    expect_identical(head[[2]]$rate, 0.5)
    expect_identical(head[[3]]$units, 2L)  # one logit per class
    expect_identical(head[[3]]$activation, "linear")
    # an unsupervised fit has none
    expect_null(test_fit@model$classifier)
})

test_that("crossValidate() of a matrix takes folds of one sample", {
    # 7 + 5 samples in 6 folds: the last fold holds a single sample
    labels <- rep(c("a", "b"), c(7, 5))
    cv <- withr::with_seed(12, crossValidate(test_mat[, 1:12], labels,
        folds = 6, hidden = 4, epochs = 3, verbose = FALSE))
    pred <- attr(cv, "predictions")
    expect_setequal(pred$sample, colnames(test_mat)[1:12])
    expect_identical(min(table(pred$fold)), 1L)
})

test_that("crossValidate() judges each fold on samples it did not see", {
    labels <- test_se$group
    cv <- withr::with_seed(11, crossValidate(test_se, labels = "group",
        folds = 3, hidden = 8, epochs = 60, batch_size = 8, verbose = FALSE))
    expect_identical(unique(cv$fold), c("1", "2", "3", "pooled"))
    pred <- attr(cv, "predictions")
    expect_setequal(pred$sample, colnames(test_se))  # each sample once
    expect_identical(as.vector(table(pred$fold, pred$truth)), rep(4L, 6))
    pooled <- cv$value[cv$fold == "pooled" & cv$metric == "accuracy"]
    expect_equal(pooled, mean(pred$truth == pred$predicted))
    expect_gte(pooled, 0.75)
    expect_identical(names(attr(cv, "confusion")), c("truth", "predicted",
        "n"))
    # the same seed gives the same split
    folds <- withr::with_seed(12, .stratified_folds(rep(1:3, 10), 5))
    expect_identical(as.vector(table(folds)), rep(6L, 5))
    expect_identical(.stratified_folds(c(1L, 0L, 1L), 2)[2], 0L)
    # folds that would be empty, or train on one class, are named
    expect_error(crossValidate(test_mat, test_se$group, folds = 13,
        verbose = FALSE), "folds <= 12", class = "exprae_error_argument")
    expect_error(suppressWarnings(withr::with_seed(18, crossValidate(
        test_mat, c("a", rep("b", 23)), folds = 2, verbose = FALSE))),
        "In fold 1", class = "exprae_error_labels")
    expect_error(crossValidate(test_mat[, 1], "a"), "must be a matrix",
        class = "exprae_error_input")
    expect_error(suppressWarnings(crossValidate(test_mat,
        c("a", "b", rep(NA, 22)), folds = 2, verbose = FALSE)),
        "at least 2 labelled", class = "exprae_error_labels")
    # the labels' warnings once, not once per fold
    warned <- 0L
    withCallingHandlers(withr::with_seed(22, crossValidate(test_mat,
        rep(c(0.5, 1.5), 12), folds = 2, hidden = 4, epochs = 1,
        verbose = FALSE)), exprae_warning_labels = function(w) {
        warned <<- warned + 1L
        invokeRestart("muffleWarning")
    })
    expect_identical(warned, 1L)
})

test_that("gene selection and scaling come from the training folds only", {
    # A gene that is constant in the training samples but not in the
    # held-out one: a leak would make it among the most variable genes.
    m <- test_mat
    m["g40", ] <- 1
    m["g40", 24] <- 100
    fold <- withr::with_seed(13, fast_classifier(m[, -24],
        labels = test_se$group[-24], ntop = 10, epochs = 2,
        gene_selection = "variance"))
    expect_false("g40" %in% fold@genes)
    everything <- withr::with_seed(13, fast_classifier(m,
        labels = test_se$group, ntop = 10, epochs = 2,
        gene_selection = "variance"))
    expect_true("g40" %in% everything@genes)
    expect_equal(fold@center, rowMeans(m[fold@genes, -24]),
        ignore_attr = TRUE)
})

test_that("the genes that tell the classes apart come from the training
    samples only", {
    # Three unbalanced classes. g40 is constant in the training samples
    # and splits the classes in the others: among the largest F of all
    # samples, absent from the fold's.
    m <- test_mat
    group <- rep(c("a", "b", "c"), c(10, 8, 6))[c(1:8, 11:14, 19:20,
        9:10, 15:18, 21:24)]
    train <- 1:14
    m["g40", train] <- 1
    m["g40", -train] <- c(a = 3, b = 2, c = 0)[group[-train]]
    anova_f <- function(cols) {
        f <- apply(m[, cols], 1, function(v) suppressWarnings(
            stats::anova(stats::lm(v ~ group[cols]))[1, "F value"]))
        names(sort(f, decreasing = TRUE))[1:10]
    }
    fold <- withr::with_seed(13, fast_classifier(m[, train],
        labels = group[train], ntop = 10, epochs = 2))
    expect_setequal(fold@genes, anova_f(train))
    expect_false("g40" %in% fold@genes)
    everything <- withr::with_seed(13, fast_classifier(m, labels = group,
        ntop = 10, epochs = 2))
    expect_setequal(everything@genes, anova_f(seq_len(ncol(m))))
    expect_true("g40" %in% everything@genes)
    # unlabelled samples and the validation split's do not count
    unlabelled <- withr::with_seed(13, fast_classifier(m,
        labels = replace(group, -train, NA), ntop = 10, epochs = 2))
    expect_setequal(unlabelled@genes, fold@genes)
    held <- withr::with_seed(13, fast_classifier(m, labels = group,
        ntop = 10, epochs = 2, validation_split = 0.5))
    expect_gt(length(held@validation), 5L)
    expect_setequal(held@genes,
        anova_f(setdiff(seq_len(ncol(m)), held@validation)))
    sparse <- withr::with_seed(13, fast_classifier(as(m, "dgCMatrix"),
        labels = group, ntop = 10, epochs = 2))
    expect_identical(sparse@genes, everything@genes)
    # counts are ranked in log1p(counts / size factor)
    counts <- round(2^m)
    from_counts <- withr::with_seed(13, fast_classifier(counts,
        labels = group, counts = TRUE, ntop = 10, epochs = 2))
    sf <- colSums(counts) / mean(colSums(counts))
    m <- log1p(sweep(counts, 2L, sf, "/"))
    expect_setequal(from_counts@genes, anova_f(seq_len(ncol(m))))
})

test_that("runClassifier(), tidy(), glance() and augment() work", {
    fit <- withr::with_seed(14, fast_classifier(test_se, labels = "group"))
    sce <- runClassifier(test_sce, fit, name = "predicted")
    expect_s3_class(sce$predicted, "factor")
    expect_identical(as.character(sce$predicted),
        as.character(predict(fit, test_sce)))
    expect_error(runClassifier(test_mat, fit), class = "exprae_error_argument")
    td <- tidy(fit)
    expect_identical(names(td), c("sample", "class", "probability"))
    expect_identical(nrow(td), 48L)
    g <- glance(fit)
    expect_identical(nrow(g), 1L)
    expect_identical(g$classes, 2L)
    au <- augment(fit)
    expect_true(all(c("sample", "group", ".predicted", ".probability",
        ".validation") %in% names(au)))
    expect_identical(sum(au$.validation), length(fit@validation))
    expect_identical(nrow(augment(fit, test_se[, 1:3])), 3L)
})

test_that("plot() draws the loss and the confusion matrix", {
    fit <- withr::with_seed(15, fast_classifier(test_se, labels = "group",
        validation_split = 0.2))
    p <- plot(fit)
    expect_s3_class(p, "ggplot")
    expect_match(p$labels$y, "cross-entropy")
    conf <- plot(fit, type = "confusion")
    expect_s3_class(conf, "ggplot")
    expect_identical(sum(conf$data$n), length(fit@validation))
    new <- plot(fit, type = "confusion", newdata = test_se, labels = "group")
    expect_identical(sum(new$data$n), 24L)
    nosplit <- withr::with_seed(16, fast_classifier(test_se,
        labels = "group", validation_split = 0, epochs = 2))
    expect_error(plot(nosplit, type = "confusion"), "held out",
        class = "exprae_error_argument")
})

test_that("raw counts are log1p-normalised, for training and prediction", {
    counts <- SummarizedExperiment::assay(test_count_se, "counts")
    # the default network and training, which mask half the inputs: the
    # patience for an epoch of two minibatches lets them fit 30 samples
    fit <- withr::with_seed(17, trainClassifier(counts, counts = TRUE,
        labels = test_count_se$group, n_threads = 1, verbose = FALSE))
    expect_true(isTRUE(fit@options$log1p))
    expect_gte(mean(predict(fit, counts) == test_count_se$group), 0.8)
    # an SE whose assay is "counts" is taken as counts
    se <- test_count_se
    SummarizedExperiment::assays(se) <- SummarizedExperiment::assays(se)[
        "counts"]
    fit_se <- withr::with_seed(17, fast_classifier(se, labels = "group"))
    expect_true(isTRUE(fit_se@options$log1p))
    expect_identical(fit_se@options$assay.type, "counts")
    expect_error(predict(fit, -counts), class = "exprae_error_counts")
})

test_that("a semi-supervised model works with counts, variational, batch", {
    labels <- test_count_se$group
    labels[seq(2, 30, by = 3)] <- NA
    fit <- withr::with_seed(18, fast_fit(test_count_se, likelihood = "zinb",
        variational = TRUE, batch = "batch", labels = labels, epochs = 5))
    expect_identical(fit@options$classes, c("a", "b"))
    expect_identical(fit@model$label_weight, 1)  # the documented default
    probs <- predict(fit, test_count_se, type = "prob",
        batch = test_count_se$batch)
    expect_identical(dim(probs), c(30L, 2L))
    expect_true(all(is.finite(probs)))
    expect_identical(nrow(predict(fit, test_count_se)), 30L)
    # without batches, every sample taken as one batch, as for the latent
    plain <- test_counts  # a matrix: no batch column to read
    as_b1 <- predict(fit, plain, type = "prob", transform_batch = "b1")
    expect_equal(as_b1, predict(fit, plain, type = "prob",
        batch = rep("b1", 30)))
    expect_error(predict(fit, plain, type = "class", transform_batch = "q"),
        "transform_batch", class = "exprae_error_batch")
})

test_that("crossValidate() takes any class name and per-sample size factors", {
    # classes named as the predictions' fixed columns
    labels <- rep(c("fold", "truth"), 12)
    cv <- withr::with_seed(6, crossValidate(test_mat, labels, folds = 3,
        hidden = 4, epochs = 3, n_threads = 1, verbose = FALSE))
    pred <- attr(cv, "predictions")
    expect_equal(cv$value[cv$fold == "pooled" & cv$metric == "accuracy"],
        mean(pred$truth == pred$predicted))
    expect_identical(sum(attr(cv, "confusion")$n), 24L)
    # Size factors, one per sample, go with each fold's samples, in
    # training and in prediction: fold 1 repeated by hand gives the same
    # probabilities (RNG: the folds' draw, then fold 1's training)
    sf <- rep(c(0.5, 2), length.out = ncol(test_counts))
    labels <- rep(c("a", "b"), length.out = ncol(test_counts))
    args <- list(counts = TRUE, hidden = 4, epochs = 2, n_threads = 1,
        verbose = FALSE)
    cv <- withr::with_seed(7, do.call(crossValidate, c(list(test_counts,
        labels, folds = 3, size_factors = sf), args)))
    pred <- attr(cv, "predictions")
    by_hand <- withr::with_seed(7, {
        fold_of <- .stratified_folds(.training_labels(labels,
            ncol(test_counts))$codes, 3)
        train <- fold_of != 1
        fit <- do.call(trainClassifier, c(list(test_counts[, train],
            labels[train], size_factors = sf[train]), args))
        predict(fit, test_counts[, !train], type = "prob",
            size_factors = sf[!train])
    })
    expect_equal(as.matrix(pred[pred$fold == 1, c("a", "b")]),
        by_hand[pred$sample[pred$fold == 1], ], ignore_attr = TRUE)
    # size factors of another length are refused against x, not a fold
    half <- sf[seq_len(ncol(test_counts) / 2)]
    expect_error(do.call(crossValidate, c(list(test_counts, labels,
        folds = 2, size_factors = half), args)),
        "one value per sample \\(30\\)", class = "exprae_error_size_factors")
})

test_that("required arguments, and arguments that would be ignored", {
    expect_error(trainClassifier(test_mat), "labels.*missing",
        class = "exprae_error_argument")
    expect_error(trainClassifier(test_se), "labels.*missing",
        class = "exprae_error_argument")
    expect_error(crossValidate(test_mat), "labels.*missing",
        class = "exprae_error_argument")
    fit <- withr::with_seed(17, fast_classifier(test_mat,
        labels = test_se$group, epochs = 2, validation_split = 0.25))
    expect_error(evaluateClassifier(fit, test_mat), "labels.*missing",
        class = "exprae_error_argument")
    expect_error(evaluateClassifier(fit, labels = test_se$group),
        "x.*missing", class = "exprae_error_argument")
    expect_error(trainSequenceModel(c("ACGT", "ACGA")), "labels.*missing",
        class = "exprae_error_argument")
    expect_error(fast_classifier(test_mat, labels = test_se$group,
        size_factors = rep(1, 24)), "counts = TRUE",
        class = "exprae_error_argument")
    expect_error(plot(fit, labels = test_se$group), "go together",
        class = "exprae_error_argument")
    expect_error(plot(fit, type = "confusion", labels = test_se$group),
        "go together", class = "exprae_error_argument")
    expect_error(plot(fit, type = "confusion", newdata = test_mat),
        "go together", class = "exprae_error_argument")
    sce <- test_sce
    expect_error(runClassifier(sce, fit, name = ""), "non-empty",
        class = "exprae_error_argument")
    unnamed <- test_mat
    colnames(unnamed)[3] <- NA
    expect_error(fast_classifier(unnamed, labels = test_se$group),
        "sample 3", class = "exprae_error_input")
    # a damaged fit is named as such by plot() too
    damaged <- fit
    damaged@options$training_labels <- c(1L, 2L)
    expect_error(plot(damaged, type = "confusion"), "damaged",
        class = "exprae_error_fit")
    damaged <- fit
    damaged@history <- data.frame()
    expect_error(plot(damaged), "damaged", class = "exprae_error_fit")
})

test_that("a factor's NA level is unlabelled when the split is chosen", {
    # the default validation split holds out 10% from 1000 labelled
    # samples: 600 labels and 500 NA-level samples are below it
    y <- matrix(stats::rnorm(5 * 1100), 5,
        dimnames = list(paste0("g", 1:5), NULL))
    labels <- c(rep(c("A", "B"), 300), rep(NA, 500))
    fit <- withr::with_seed(18, fast_classifier(y, labels = addNA(factor(
        labels)), epochs = 1, hidden = 2))
    expect_length(fit@validation, 0L)
    expect_identical(.n_labelled(addNA(factor(labels))), 600L)
    expect_identical(.n_labelled(mean), 0L)
})

test_that("numbers as classes match whether integer or double", {
    # classes are written as R writes the labels (the double 1e5 as
    # "1e+05"), and integer labels of the same numbers match them
    labels <- rep(c(1e5, 2e5), 12)
    fit <- withr::with_seed(8, fast_classifier(test_mat, labels = labels,
        epochs = 2))
    expect_identical(fit@options$classes, c("1e+05", "2e+05"))
    judged <- evaluateClassifier(fit, test_mat, as.integer(labels))
    support <- judged$value[judged$metric == "support"]
    expect_identical(support[judged$class[judged$metric == "support"] ==
        "1e+05"], 12)
    expect_equal(judged, evaluateClassifier(fit, test_mat, labels))
    expect_identical(.match_levels(c(200000L, 100000L, NA), c("1e+05",
        "2e+05")), c(2L, 1L, NA))
    # batch levels keep their own writing, "100000"
    expect_identical(.match_levels(1e5, "100000"), 1L)
    # a class predicted is the label as R writes it
    expect_identical(as.character(predict(fit, test_mat)[1]),
        as.character(labels[1]))
})

test_that("a classifier of a SummarizedExperiment's counts uses sizeFactors", {
    se <- test_count_se
    sf <- rep(c(0.5, 2), length.out = ncol(se))
    SummarizedExperiment::colData(se)$sizeFactor <- sf
    args <- list(labels = "group", counts = TRUE, assay.type = "counts",
        hidden = 4, epochs = 2, n_threads = 1, verbose = FALSE)
    fit <- withr::with_seed(8, do.call(trainClassifier, c(list(se), args)))
    expect_identical(fit@options$size_factor_mode, "given")
    given <- withr::with_seed(8, do.call(trainClassifier,
        c(list(se, size_factors = sf), args)))
    expect_equal(fit@weights, given@weights)
})

test_that("a classifier of counts sees them centred, as log1p expression", {
    # the same network on log1p(counts / size factor) given as expression
    # (centred and scaled per gene) learns the same; uncentred, the softmax
    # barely learned (a large common offset under Adam's bounded steps)
    labels <- rep(c("a", "b"), length.out = ncol(test_counts))
    lib <- colSums(test_counts)
    expression <- log1p(t(t(test_counts) / (lib / mean(lib))))
    args <- list(labels = labels, hidden = 8, epochs = 20, n_threads = 1,
        verbose = FALSE)
    counts_fit <- withr::with_seed(9, do.call(trainClassifier,
        c(list(test_counts, counts = TRUE), args)))
    expression_fit <- withr::with_seed(9, do.call(trainClassifier,
        c(list(expression), args)))
    expect_equal(counts_fit@center, expression_fit@center, tolerance = 1e-6)
    expect_equal(predict(counts_fit, test_counts, type = "prob"),
        predict(expression_fit, expression, type = "prob"), tolerance = 1e-3)
})

test_that("a run-length encoded colData column is the vector it encodes", {
    se <- test_se
    se$rle <- S4Vectors::Rle(factor(se$group))
    fit <- withr::with_seed(19, fast_classifier(se, labels = "rle",
        epochs = 1))
    expect_identical(fit@options$classes, c("a", "b"))
    judged <- evaluateClassifier(fit, se, "rle")
    expect_identical(sum(judged$value[judged$metric == "support"]), 24)
})
