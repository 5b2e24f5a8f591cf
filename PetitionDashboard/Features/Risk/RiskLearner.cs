using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace PetitionDashboard.Features.Risk;

/// <summary>
/// The ML.NET side of the risk score: the pipeline (one-hot categories, numeric features, the demand text as hashed
/// character bigrams and trigrams, gradient-boosted trees from FastTree), fitting, saving to bytes and scoring in batches.
/// Deterministic: a fixed seed and one thread, so the same data gives the same model.
/// </summary>
public static class RiskLearner
{
    private const int Seed = 20261130;

    private static readonly string[] Categorical =
        [nameof(RiskCase.Category), nameof(RiskCase.Locality), nameof(RiskCase.Unit), nameof(RiskCase.Form), nameof(RiskCase.Purpose)];

    private static readonly string[] Numeric =
    [
        nameof(RiskCase.People), nameof(RiskCase.DaysSinceRegistration), nameof(RiskCase.FirstDecisionMade),
        nameof(RiskCase.FirstDecisionDays), nameof(RiskCase.FirstDecisionLateDays), nameof(RiskCase.Extended),
        nameof(RiskCase.OverdueDays), nameof(RiskCase.Supervision), nameof(RiskCase.Reminders),
        nameof(RiskCase.EarlierThreads), nameof(RiskCase.UnitRepeatRate),
    ];

    public static MLContext Context() => new(seed: Seed) { GpuDeviceId = null, FallbackToCpu = true };

    /// <summary>Fits the pipeline on the rows; returns the model.</summary>
    public static ITransformer Fit(MLContext ml, IReadOnlyList<RiskCase> rows)
    {
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Categorical.OneHotEncoding(
                [.. Categorical.Select(c => new InputOutputColumnPair(c + "Code", c))])
            .Append(ml.Transforms.Text.TokenizeIntoCharactersAsKeys("DemandChars", nameof(RiskCase.Demand), useMarkerCharacters: false))
            .Append(ml.Transforms.Text.ProduceHashedNgrams("DemandGrams", "DemandChars", numberOfBits: 9, ngramLength: 2, useAllLengths: false))
            .Append(ml.Transforms.Concatenate("Features", [.. Categorical.Select(c => c + "Code"), .. Numeric, "DemandGrams"]))
            .Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                LabelColumnName = nameof(RiskCase.Label),
                FeatureColumnName = "Features",
                NumberOfLeaves = 16,
                NumberOfTrees = 100,
                MinimumExampleCountPerLeaf = 30,
                LearningRate = 0.08,
                NumberOfThreads = 1,
                Seed = Seed,
            }));
        return pipeline.Fit(data);
    }

    /// <summary>The probability of each row, in order.</summary>
    public static float[] Score(MLContext ml, ITransformer model, IReadOnlyList<RiskCase> rows)
    {
        if (rows.Count == 0) return [];
        var scored = model.Transform(ml.Data.LoadFromEnumerable(rows));
        return [.. ml.Data.CreateEnumerable<Prediction>(scored, reuseRowObject: false).Select(p => p.Probability)];
    }

    public static byte[] Save(MLContext ml, ITransformer model)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, null, stream);
        return stream.ToArray();
    }

    public static ITransformer Load(MLContext ml, byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return ml.Model.Load(stream, out _);
    }

    private sealed class Prediction
    {
        public float Probability { get; set; }
    }
}

/// <summary>How a ranking of cases does on the held-out period: AUC and the precision among its top 5 % and 10 %.</summary>
public sealed record RankingMetrics(double Auc, double TopFivePrecision, double TopTenPrecision)
{
    /// <summary>AUC as the probability that a random positive outranks a random negative (ties count half).</summary>
    public static RankingMetrics Of(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        var n = scores.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        // Average ranks over ties (Mann–Whitney U).
        var ranks = new double[n];
        for (var i = 0; i < n;)
        {
            var j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            var rank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        var positives = labels.Count(l => l);
        var negatives = n - positives;
        var auc = positives == 0 || negatives == 0 ? 0.5
            : (Enumerable.Range(0, n).Where(i => labels[i]).Sum(i => ranks[i]) - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
        return new RankingMetrics(auc, TopPrecision(scores, labels, 0.05), TopPrecision(scores, labels, 0.10));
    }

    /// <summary>Positives among the highest-scored share of cases (ties broken by position, i.e. arbitrarily but reproducibly).</summary>
    public static double TopPrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, double share)
    {
        var take = Math.Max(1, (int)Math.Ceiling(scores.Count * share));
        if (scores.Count == 0) return 0;
        return Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(take).Count(i => labels[i]) / (double)take;
    }

    /// <summary>The score at the top <paramref name="share"/> of the ranking.</summary>
    public static double Threshold(IReadOnlyList<double> scores, double share)
    {
        if (scores.Count == 0) return 1;
        var take = Math.Max(1, (int)Math.Ceiling(scores.Count * share));
        return scores.OrderByDescending(s => s).ElementAt(take - 1);
    }
}
