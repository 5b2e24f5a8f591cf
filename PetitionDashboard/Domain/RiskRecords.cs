namespace PetitionDashboard.Domain;

/// <summary>
/// One training of the 初转重 risk model (docs/rules.md §15): when, on which cut-off, how many cases, how it scored on the
/// held-out period against the baseline, and — when it beat the baseline — the model itself. Stored in the database so
/// that every node scores and explains with the same model.
/// </summary>
public class RiskModel
{
    public int Id { get; set; }
    public DateTime TrainedAtUtc { get; set; }
    /// <summary>Petitions registered before this date (with their 90-day outcome known by it) trained the evaluated model.</summary>
    public DateOnly CutoffOn { get; set; }
    /// <summary>The evaluation period: petitions registered from the cut-off up to this date (their outcome known by the training date).</summary>
    public DateOnly EvaluatedToOn { get; set; }
    public int TrainPetitions { get; set; }
    public int TrainSamples { get; set; }
    public int TrainPositives { get; set; }
    public int EvalPetitions { get; set; }
    public int EvalSamples { get; set; }
    public int EvalPositives { get; set; }
    public double Auc { get; set; }
    public double TopFivePrecision { get; set; }
    public double TopTenPrecision { get; set; }
    public double BaselineAuc { get; set; }
    public double BaselineTopFivePrecision { get; set; }
    public double BaselineTopTenPrecision { get; set; }
    /// <summary>The score at or above which an open 初件 is 高风险: the model's top 10 % on the evaluation period.</summary>
    public double HighThreshold { get; set; }
    /// <summary>It beat the baseline on AUC and on top-10 % precision; only a deployed model scores cases.</summary>
    public bool Deployed { get; set; }
    /// <summary>Why it was not deployed (zh-CN), or null.</summary>
    public string? NotDeployedReason { get; set; }
    public long TrainingMilliseconds { get; set; }
    public long ScoringMilliseconds { get; set; }
    public int ScoredPetitions { get; set; }
    public required string TrainedBy { get; set; }
    /// <summary>The ML.NET model (zip), present when deployed.</summary>
    public byte[]? Model { get; set; }
    /// <summary>JSON: the typical value of each feature, the reference the per-case explanation compares with.</summary>
    public string? Reference { get; set; }
}

/// <summary>The current risk of one open 初件 (a row per petition, replaced on every scoring; no change to the petition itself).</summary>
public class RiskScore
{
    public int PetitionId { get; set; }
    public Petition Petition { get; set; } = null!;
    /// <summary>Probability (0–1) of a repeat in its thread within 90 days of registration.</summary>
    public double Score { get; set; }
    /// <summary>Score ≥ the model's <see cref="RiskModel.HighThreshold"/>.</summary>
    public bool High { get; set; }
    public int ModelId { get; set; }
    public DateTime ScoredAtUtc { get; set; }
    /// <summary>The features that raised the score most for this case, zh-CN, one per line: "label：value（+0.12）".</summary>
    public string? Reasons { get; set; }
}
