using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Demo;

/// <summary>The master data of the demo city: units, leaders and the category code table.</summary>
public sealed record DemoMasterData(IReadOnlyList<Unit> Units, IReadOnlyList<Leader> Leaders, IReadOnlyList<Category> Categories);

/// <summary>
/// One batch of generated rows, complete in itself: every row it references was generated in this batch or an earlier one,
/// so batches can be written one transaction each, in order.
/// </summary>
public sealed class DemoBatch
{
    public List<Petitioner> Petitioners { get; } = [];
    /// <summary>集中交办 batches, each written with the first thread handed down in it.</summary>
    public List<AssignmentBatch> AssignmentBatches { get; } = [];
    public List<PetitionThread> Threads { get; } = [];
    public List<Petition> Petitions { get; } = [];
    public List<PetitionPetitioner> PetitionPetitioners { get; } = [];
    public List<PetitionEvent> Events { get; } = [];
    public List<LeaderAssignment> Assignments { get; } = [];
    public List<AssignmentProgress> Progress { get; } = [];
    /// <summary>领导批示 and their units (written after the petitions they are on).</summary>
    public List<LeaderInstruction> Instructions { get; } = [];
    public List<InstructionUnit> InstructionUnits { get; } = [];
}

/// <summary>The settings the generator takes from the rest of the configuration (docs/rules.md §4, §5, §7).</summary>
public sealed record DemoRules(int ListedAfterDays, int BacklogAgeDays, int GroupSize)
{
    public static DemoRules From(SupervisionOptions supervision, BacklogOptions backlog, PetitionOptions petition) =>
        new(supervision.ListedAfterDays, backlog.AgeDays, petition.GroupSize);
}
