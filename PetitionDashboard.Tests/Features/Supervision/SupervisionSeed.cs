using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Tests.Features.Supervision;

/// <summary>Writes the few rows a supervision test needs: a unit, threads, petitions, leader assignments.</summary>
internal sealed class SupervisionSeed(AppDbContext db)
{
    private Unit? _unit;
    private Leader? _leader;
    private int _next;

    public Unit Unit => _unit ??= db.Units.Add(new Unit { Name = "临川区", Kind = UnitKind.County }).Entity;

    public Leader Leader => _leader ??= db.Leaders.Add(new Leader { Name = "王局长", Title = "局长" }).Entity;

    /// <summary>A 集中交办 batch with a given number, handed down on <paramref name="on"/>.</summary>
    public AssignmentBatch Batch(int id, DateOnly on) => db.AssignmentBatches.Add(new AssignmentBatch
    {
        Id = id, Name = $"第{id}批集中交办", CreatedOn = on, CreatedAtUtc = BusinessTime.StartOfDayUtc(on), CreatedBy = "值班员",
    }).Entity;

    /// <summary>An open petition (办理中 unless told) with the given current deadline, in a thread of its own.</summary>
    public Petition Petition(DateOnly? due, PetitionState state = PetitionState.InHandling,
        SupervisionLevel level = SupervisionLevel.None, bool raisedByHand = false, DateOnly? receivedOn = null,
        PetitionThread? thread = null)
    {
        _next++;
        var received = receivedOn ?? (due ?? new DateOnly(2026, 3, 1)).AddDays(-60);
        thread ??= db.Threads.Add(new PetitionThread
        {
            PetitionCount = 1, FirstReceivedOn = received, LastReceivedOn = received,
        }).Entity;
        var p = TestData.PetitionRow($"LC2026{_next:000000}", received, state, unit: Unit, thread: thread, locality: "临川区",
            demand: "反映小区道路破损");
        p.CurrentDueDate = PetitionLifecycle.IsOpen(state) ? due : null;
        (p.Supervision, p.SupervisionRaisedByHand) = (level, raisedByHand);
        db.Petitions.Add(p);
        return p;
    }

    public LeaderAssignment Assign(PetitionThread thread, AssignmentStatus status, DateOnly assignedOn)
    {
        var a = new LeaderAssignment
        {
            Thread = thread,
            Leader = Leader,
            LeadUnit = Unit,
            ResponsiblePerson = "李四",
            Plan = "约访当事人，协调住建部门限期修复",
            AssignedOn = assignedOn,
            DueOn = assignedOn.AddDays(90),
            Status = status,
        };
        db.LeaderAssignments.Add(a);
        return a;
    }
}
