// Sequence models (nn/model_spec.h): one-hot DNA from a SequenceSource,
// layer shapes through convolution, pooling and recurrent layers, a
// finite-difference check of the whole model's gradient, and training on
// a planted motif.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "ops/ops.h"
#include "random/philox.h"
#include "test_util.h"
#include "train/predict.h"
#include "train/sequence_source.h"
#include "train/trainer.h"

namespace exprae {
namespace {

Tensor gather_all(const DataSource& d) {
    Tensor out = Tensor::empty(d.n_features(), d.n_samples(), DType::f64);
    std::vector<index_t> idx;
    for (index_t j = 0; j < d.n_samples(); ++j) idx.push_back(j);
    d.gather(idx.data(), d.n_samples(), out);
    return out;
}

TEST(SequenceSource, OneHotWithIupacFractions) {
    SequenceSource s({"ACGT", "nRgu"}, 4, false);
    EXPECT_EQ(s.n_features(), 16);
    EXPECT_EQ(s.n_samples(), 2);
    Tensor x = gather_all(s);
    for (index_t k = 0; k < 4; ++k)
        for (index_t c = 0; c < 4; ++c)
            EXPECT_EQ(x.at(4 * k + c, 0), c == k ? 1.0 : 0.0);
    for (index_t c = 0; c < 4; ++c) EXPECT_EQ(x.at(c, 1), 0.25);  // N
    EXPECT_EQ(x.at(4, 1), 0.5);  // R: A or G
    EXPECT_EQ(x.at(6, 1), 0.5);
    EXPECT_EQ(x.at(15, 1), 1.0);  // U reads as T
}

TEST(SequenceSource, CropsAndPadsAroundTheMiddle) {
    SequenceSource s({"AACCGGTT", "CG"}, 4, false);
    Tensor x = gather_all(s);
    // AACCGGTT keeps CCGG; CG sits at positions 2-3 between zeros
    EXPECT_EQ(x.at(1, 0), 1.0);   // C at position 1
    EXPECT_EQ(x.at(14, 0), 1.0);  // G at position 4
    EXPECT_EQ(x.at(15, 0), 0.0);  // the Ts are cut
    for (index_t r = 0; r < 4; ++r) EXPECT_EQ(x.at(r, 1), 0.0);
    EXPECT_EQ(x.at(5, 1), 1.0);
    EXPECT_EQ(x.at(10, 1), 1.0);
}

TEST(SequenceSource, ReverseComplementsAreTheColumnsBackwards) {
    SequenceSource s({"AACG"}, 4, true);
    ASSERT_EQ(s.n_samples(), 2);
    Tensor x = gather_all(s);
    SequenceSource rc({"CGTT"}, 4, false);
    Tensor y = gather_all(rc);
    for (index_t r = 0; r < 16; ++r) {
        EXPECT_EQ(x.at(r, 1), y.at(r, 0));
        EXPECT_EQ(x.at(r, 1), x.at(15 - r, 0));
    }
}

// With an odd pad or crop, the reverse complement is centred as a
// sequence of its own: the source of x then holds what the source of
// x's reverse complement holds, strands swapped, so both predict alike.
TEST(SequenceSource, ReverseComplementsAreCentredOnTheirOwn) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"ACG", "CGT"}, {"AACCG", "CGGTT"}, {"ArN-T", "A-NyT"}};
    for (const auto& c : cases) {
        Tensor x = gather_all(SequenceSource({c.first}, 4, true));
        Tensor y = gather_all(SequenceSource({c.second}, 4, true));
        for (index_t r = 0; r < 16; ++r) {
            EXPECT_EQ(x.at(r, 1), y.at(r, 0)) << c.first << " row " << r;
            EXPECT_EQ(x.at(r, 0), y.at(r, 1)) << c.first << " row " << r;
        }
    }
}

// seen_positions() names exactly the bases whose change changes what the
// source holds: a C put at each position of a run of As, at even and odd
// crops and pads, one strand or both.
TEST(SequenceSource, SeenPositionsAreTheBasesTheSourceReads) {
    for (index_t length : {3, 4, 6, 7, 8}) {
        for (bool both : {false, true}) {
            std::string plain(static_cast<std::size_t>(length), 'A');
            Tensor base = gather_all(SequenceSource({plain}, 4, both));
            std::pair<index_t, index_t> seen = seen_positions(length, 4, both);
            for (index_t p = 0; p < length; ++p) {
                std::string mutant = plain;
                mutant[static_cast<std::size_t>(p)] = 'C';
                Tensor x = gather_all(SequenceSource({mutant}, 4, both));
                bool changed = false;
                for (index_t j = 0; j < x.cols(); ++j)
                    for (index_t r = 0; r < x.rows(); ++r)
                        changed |= x.at(r, j) != base.at(r, j);
                EXPECT_EQ(changed, p >= seen.first && p < seen.second)
                    << "length " << length << ", both " << both << ", " << p;
            }
        }
    }
}

// The letters a sequence may hold are what the source reads.
TEST(SequenceSource, DnaLettersAreTheLettersItReads) {
    std::string letters = dna_letters();
    EXPECT_EQ(letters.size(), 34u);  // 15 IUPAC codes and U, both cases; gaps
    EXPECT_NO_THROW(SequenceSource({letters}, 40, false));
    for (int c = 1; c < 256; ++c) {
        char letter = static_cast<char>(c);
        if (letters.find(letter) != std::string::npos) continue;
        EXPECT_THROW(SequenceSource({std::string("AC") + letter}, 4, false),
                     BadInput) << c;
    }
    EXPECT_EQ(gap_letters(), "-.");
    for (char gap : gap_letters()) {
        EXPECT_EQ(dna_code(gap), 0) << gap;  // read as padding
        EXPECT_NE(letters.find(gap), std::string::npos) << gap;
    }
}

TEST(SequenceSource, BadInputIsRejected) {
    EXPECT_THROW(SequenceSource({"ACGT", "ACXT"}, 4, false), BadInput);
    EXPECT_THROW(SequenceSource({}, 4, false), BadInput);
    EXPECT_THROW(SequenceSource({"ACGT"}, 0, false), BadInput);
    EXPECT_NO_THROW(SequenceSource({"AC-T"}, 4, false));  // a gap pads
}

LayerSpec conv(index_t filters, index_t width, bool same = true) {
    LayerSpec l = LayerSpec::dense(filters, "relu");
    l.kind = LayerKind::conv1d;
    l.width = width;
    l.same = same;
    return l;
}

LayerSpec pool(LayerKind kind, index_t width = 0) {
    LayerSpec l;
    l.kind = kind;
    l.width = width;
    l.stride = width > 0 ? width : 1;
    return l;
}

LayerSpec recurrent(LayerKind kind, index_t units, bool bi, bool seq) {
    LayerSpec l;
    l.kind = kind;
    l.units = units;
    l.bidirectional = bi;
    l.return_sequences = seq;
    return l;
}

ModelSpec sequence_spec(index_t width, std::vector<LayerSpec> layers,
                        index_t classes = 2) {
    ModelSpec s;
    s.n_input = 4 * width;
    s.input_channels = 4;
    s.encoder = std::move(layers);
    s.classifier = {LayerSpec::dense(classes)};
    return s;
}

TEST(SequenceModel, ShapesFlowThroughTheLayers) {
    ModelSpec s = sequence_spec(
        20, {conv(6, 5), pool(LayerKind::max_pool1d, 2),
             recurrent(LayerKind::gru, 3, true, true),
             pool(LayerKind::global_avg_pool)});
    EXPECT_EQ(latent_size(s), 6);  // 2 x 3 units
    FeatureShape h = input_shape(s);
    EXPECT_EQ(h.channels, 4);
    EXPECT_EQ(h.positions, 20);
    h = layer_output(s.encoder[0], h, "x");
    EXPECT_EQ(h.channels, 6);
    EXPECT_EQ(h.positions, 20);
    h = layer_output(s.encoder[1], h, "x");
    EXPECT_EQ(h.positions, 10);
    Model m(s, DType::f64);
    ParameterBlock& p = m.parameters();
    EXPECT_GE(p.find("encoder.1.weight"), 0);
    const Tensor& w = p.variable(p.find("encoder.1.weight")).value();
    EXPECT_EQ(w.rows(), 6);
    EXPECT_EQ(w.cols(), 20);  // 4 channels x 5 taps
    const Tensor& wh =
        p.variable(p.find("encoder.3.reverse.hidden_weight")).value();
    EXPECT_EQ(wh.rows(), 9);
    EXPECT_EQ(wh.cols(), 3);
    s.encoder.push_back(LayerSpec::dense(4, "relu"));
    EXPECT_EQ(latent_size(s), 4);
}

TEST(SequenceModel, ValidationErrors) {
    // no features at the end
    EXPECT_THROW(validate(sequence_spec(20, {conv(4, 5)})), BadArgument);
    // a filter wider than a valid-padded input
    EXPECT_THROW(validate(sequence_spec(4, {conv(4, 5, false),
                                            pool(LayerKind::flatten)})),
                 BadArgument);
    // sequence layers need a sequence input
    ModelSpec flat;
    flat.n_input = 10;
    flat.encoder = {conv(2, 3), pool(LayerKind::global_max_pool)};
    flat.classifier = {LayerSpec::dense(2)};
    EXPECT_THROW(validate(flat), BadArgument);
    // a sequence model has no decoder
    ModelSpec ae = sequence_spec(8, {pool(LayerKind::flatten),
                                     LayerSpec::dense(3)});
    ae.decoder = {LayerSpec::dense(32)};
    EXPECT_THROW(validate(ae), BadArgument);
    // channels must divide the input
    ModelSpec odd = sequence_spec(5, {pool(LayerKind::flatten)});
    odd.n_input = 21;
    EXPECT_THROW(validate(odd), BadArgument);
}

// sum(logits * r) for the model's parameters as they are.
double projected_logits(Model& m, const Tensor& x, const Tensor& r) {
    NoGradGuard no_grad;
    Variable z = m.classify(m.encode(Variable(x), ForwardMode{}),
                            ForwardMode{});
    double total = 0;
    for (index_t k = 0; k < r.size(); ++k) total += z.value().at(k) * r.at(k);
    return total;
}

// Every weight of a model with each sequence layer gets the gradient that
// central differences give.
TEST(SequenceModel, GradientOfTheWholeModelMatchesFiniteDifferences) {
    ModelSpec s = sequence_spec(
        12, {conv(3, 3), pool(LayerKind::max_pool1d, 2),
             recurrent(LayerKind::lstm, 2, true, true),
             pool(LayerKind::avg_pool1d, 2),
             recurrent(LayerKind::gru, 2, false, false),
             LayerSpec::dense(3, "tanh")},
        3);
    Model m(s, DType::f64);
    m.initialize(4);
    Tensor x = test::uniform(48, 3, 0.0, 1.0, 8);
    Tensor r = test::normal(3, 3, 9);
    m.parameters().zero_grad();
    Variable z = m.classify(m.encode(Variable(x), ForwardMode{}),
                            ForwardMode{});
    Variable loss = sum(mul(z, Variable(r)));
    Tape::current().backward(loss);
    Tensor analytic = m.parameters().grads().clone();
    Tensor values = m.parameters().values();
    double worst = 0;
    for (index_t k = 0; k < values.size(); ++k) {
        double v = values.at(k);
        values.set(k, 0, v + 1e-6);
        double up = projected_logits(m, x, r);
        values.set(k, 0, v - 1e-6);
        double down = projected_logits(m, x, r);
        values.set(k, 0, v);
        double numeric = (up - down) / 2e-6;
        double a = analytic.at(k);
        worst = std::max(worst, std::abs(a - numeric) /
                                    std::max({1.0, std::abs(a),
                                              std::abs(numeric)}));
    }
    EXPECT_LT(worst, 1e-6);
}

// Sequences of 30 random bases, the even ones with TGACTCA somewhere.
std::vector<std::string> planted(index_t n, std::vector<int>& labels) {
    const char* bases = "ACGT";
    const std::string motif = "TGACTCA";
    Philox rng(3, 77);
    std::uint64_t c = 0;
    std::vector<std::string> out;
    for (index_t j = 0; j < n; ++j) {
        std::string s;
        for (int k = 0; k < 30; ++k)
            s += bases[static_cast<int>(rng.uniform(c++) * 4) % 4];
        bool has = j % 2 == 0;
        if (has) {
            auto at = static_cast<std::size_t>(rng.uniform(c++) * 23);
            s.replace(at, motif.size(), motif);
        }
        labels.push_back(has ? 1 : 0);
        out.push_back(s);
    }
    return out;
}

double training_accuracy(const std::vector<LayerSpec>& layers) {
    std::vector<int> labels;
    std::vector<std::string> seqs = planted(300, labels);
    SequenceSource data(seqs, 30, false);
    Model m(sequence_spec(30, layers), DType::f32);
    m.initialize(2);
    Covariates cov;
    cov.labels = labels;
    TrainOptions o;
    o.epochs = 30;
    o.batch_size = 32;
    o.learning_rate = 1e-2;
    o.seed = 1;
    Hooks quiet;
    TrainResult r = train(m, data, cov, o, quiet);
    EXPECT_LT(r.history.back().loss, r.history.front().loss);
    Tensor logits = predict(m, data, Covariates(), PredictOutput::logits,
                            PredictOptions());
    int right = 0;
    for (index_t j = 0; j < logits.cols(); ++j)
        right += (logits.at(1, j) > logits.at(0, j)) == (labels[j] == 1);
    return right / static_cast<double>(logits.cols());
}

TEST(SequenceModel, ConvolutionFindsAPlantedMotif) {
    EXPECT_GE(training_accuracy({conv(8, 7),
                                 pool(LayerKind::global_max_pool)}),
              0.95);
}

TEST(SequenceModel, RecurrentLayersLearnThePlantedMotifToo) {
    EXPECT_GE(training_accuracy({conv(8, 7), pool(LayerKind::max_pool1d, 3),
                                 recurrent(LayerKind::gru, 8, false,
                                           false)}),
              0.9);
}

// Two yes/no labels per sequence, each a motif of its own, some unknown:
// a multi-label model learns both.
TEST(SequenceModel, MultiLabelLearnsEachLabel) {
    const char* bases = "ACGT";
    const std::string motifs[2] = {"TGACTCA", "CCGCGGA"};
    Philox rng(4, 78);
    std::uint64_t c = 0;
    index_t n = 400;
    std::vector<std::string> seqs;
    std::vector<double> targets;  // 2 x n
    for (index_t j = 0; j < n; ++j) {
        std::string s;
        for (int k = 0; k < 40; ++k)
            s += bases[static_cast<int>(rng.uniform(c++) * 4) % 4];
        for (int m = 0; m < 2; ++m) {
            bool has = ((j >> m) & 1) == 1;
            if (has) s.replace(m * 20 + 3, 7, motifs[m]);
            // every tenth sample's second label is unknown
            targets.push_back(m == 1 && j % 10 == 0 ? std::nan("")
                                                    : (has ? 1.0 : 0.0));
        }
        seqs.push_back(s);
    }
    SequenceSource data(seqs, 40, false);
    ModelSpec spec = sequence_spec(40, {conv(8, 7),
                                        pool(LayerKind::global_max_pool)},
                                   2);
    spec.multi_label = true;
    Model m(spec, DType::f32);
    m.initialize(3);
    Covariates cov;
    cov.targets = targets;
    TrainOptions o;
    o.epochs = 40;
    o.batch_size = 32;
    o.learning_rate = 1e-2;
    o.seed = 2;
    Hooks quiet;
    train(m, data, cov, o, quiet);
    Tensor logits = predict(m, data, Covariates(), PredictOutput::logits,
                            PredictOptions());
    for (index_t label = 0; label < 2; ++label) {
        int right = 0;
        for (index_t j = 0; j < n; ++j)
            right += (logits.at(label, j) > 0) == (((j >> label) & 1) == 1);
        EXPECT_GE(right / static_cast<double>(n), 0.95) << "label " << label;
    }
    // classes are not targets
    Covariates wrong;
    wrong.labels.assign(static_cast<std::size_t>(n), 0);
    EXPECT_THROW(validate(wrong, data, m), BadArgument);
    Covariates short_targets;
    short_targets.targets.assign(3, 1.0);
    EXPECT_THROW(validate(short_targets, data, m), BadInput);
}

}  // namespace
}  // namespace exprae
