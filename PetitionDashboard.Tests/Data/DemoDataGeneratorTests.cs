using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Data.DemoTestSupport;

namespace PetitionDashboard.Tests.Data;

/// <summary>A 3,000-petition demo city written to a real SQLite database once, read back by every test of the class.</summary>
public sealed class DemoCityFixture : IAsyncLifetime
{
    public const int Petitions = 3_000;

    public TestDatabase Database { get; private set; } = null!;
    public TestClock Clock { get; } = DemoTestSupport.Clock();
    public DateOnly Today => Clock.Today();

    public List<Petition> AllPetitions { get; private set; } = [];
    public List<PetitionEvent> Events { get; private set; } = [];
    public List<PetitionThread> Threads { get; private set; } = [];
    public List<Petitioner> People { get; private set; } = [];
    public List<PetitionPetitioner> Links { get; private set; } = [];
    public List<LeaderAssignment> Assignments { get; private set; } = [];
    public List<AssignmentBatch> Batches { get; private set; } = [];
    public List<Unit> Units { get; private set; } = [];
    public List<Leader> Leaders { get; private set; } = [];
    public List<Category> Categories { get; private set; } = [];
    public List<LeaderInstruction> Instructions { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await Demo(Database, Clock).GenerateAsync(Petitions, seed: 20261123, progress: null);
        await using var db = Database.CreateDbContext();
        AllPetitions = await db.Petitions.AsNoTracking().OrderBy(p => p.Id).ToListAsync();
        Events = await db.PetitionEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Threads = await db.Threads.AsNoTracking().ToListAsync();
        // As the app reads them: numbers decrypted, the identity key the hash stands for (the rows themselves hold neither in clear).
        var protector = TestPersonalData.Protector;
        People = (await db.Petitioners.AsNoTracking().ToListAsync()).Select(p => new Petitioner
        {
            Id = p.Id, Name = p.Name, Address = p.Address, IdNumber = protector.Reveal(p.IdNumber), Phone = protector.Reveal(p.Phone),
            IdentityKey = protector.RevealIdentity(p.IdentitySource, p.IdentityKey) ?? p.IdentityKey,
        }).ToList();
        Links = await db.PetitionPetitioners.AsNoTracking().ToListAsync();
        Assignments = await db.LeaderAssignments.AsNoTracking().Include(a => a.Progress).ToListAsync();
        Batches = await db.AssignmentBatches.AsNoTracking().ToListAsync();
        Units = await db.Units.AsNoTracking().ToListAsync();
        Leaders = await db.Leaders.AsNoTracking().ToListAsync();
        Categories = await db.Categories.AsNoTracking().ToListAsync();
        Instructions = await db.LeaderInstructions.AsNoTracking().Include(i => i.Units).ThenInclude(u => u.Unit).ToListAsync();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}

public sealed class DemoDataGeneratorTests(DemoCityFixture city) : IClassFixture<DemoCityFixture>
{
    private readonly DeadlineCalculator _deadlines = TestRules.Deadlines();

    [Fact]
    public async Task SameSeedAndSameDay_GiveIdenticalData_AnotherSeedDoesNot()
    {
        await using var a = await TestDatabase.CreateAsync();
        await using var b = await TestDatabase.CreateAsync();
        await using var c = await TestDatabase.CreateAsync();
        // Different batch sizes and clock times on the same day must not change the data.
        await Demo(a, Clock(), batchSize: 100).GenerateAsync(800, seed: 42, progress: null, TestContext.Current.CancellationToken);
        await Demo(b, TestClock.AtShanghai(2026, 11, 23, 16, 45), batchSize: 5_000).GenerateAsync(800, seed: 42, progress: null, TestContext.Current.CancellationToken);
        await Demo(c, Clock()).GenerateAsync(800, seed: 43, progress: null, TestContext.Current.CancellationToken);

        var hashA = await HashAsync(a);
        Assert.Equal(hashA, await HashAsync(b));
        Assert.NotEqual(hashA, await HashAsync(c));
    }

    [Fact]
    public void MasterData_IsTheCityOfTheIssue_TenCountiesTwentyFiveDepartmentsFortyLeaders()
    {
        Assert.Equal(10, city.Units.Count(u => u.Kind == UnitKind.County));
        Assert.Equal(25, city.Units.Count(u => u.Kind == UnitKind.CityDepartment));
        Assert.Contains(city.Units, u => u.Name == "临川区");
        Assert.Contains(city.Units, u => u.Name == "市住建局");
        Assert.Equal(40, city.Leaders.Count);
        Assert.Contains(city.Leaders, l => l.Title == "市信访局局长");
        Assert.Equal(DomainText.Categories.Order(), city.Categories.Select(c => c.Name).Order());
        Assert.Equal(DemoCityFixture.Petitions, city.AllPetitions.Count);

        var counties = city.Units.Where(u => u.Kind == UnitKind.County).Select(u => u.Name).ToHashSet();
        Assert.All(city.AllPetitions, p => Assert.Contains(p.Locality, counties));
        Assert.All(city.AllPetitions, p => Assert.Contains(p.Category, DomainText.Categories));
    }

    [Fact]
    public void EveryPetition_StateIsItsLastTransition_AndTheChainFollowsTheLifecycle()
    {
        var byPetition = city.Events.Where(e => e.Kind == PetitionEventKind.Transition).ToLookup(e => e.PetitionId);
        Assert.All(city.AllPetitions, p =>
        {
            var transitions = byPetition[p.Id].ToList();
            Assert.Equal(PetitionState.Registered, transitions[0].ToState);
            Assert.Null(transitions[0].FromState);
            for (var i = 1; i < transitions.Count; i++)
            {
                Assert.Equal(transitions[i - 1].ToState, transitions[i].FromState);
                Assert.Null(PetitionLifecycle.Refusal(transitions[i].FromState!.Value, transitions[i].ToState!.Value));
            }
            Assert.Equal(p.State, transitions[^1].ToState);
        });
    }

    [Fact]
    public void EveryPetition_CurrentDueDateIsTheCalculators_OpenOnesHaveOne_OthersNone()
    {
        Assert.All(city.AllPetitions, p =>
        {
            Assert.Equal(_deadlines.Current(p)?.Due, p.CurrentDueDate);
            Assert.Equal(PetitionLifecycle.IsOpen(p.State), p.CurrentDueDate is not null);
        });
    }

    [Fact]
    public void Dates_NeverPrecedeReceivedOnOrEachOther_AndNoneIsInTheFuture()
    {
        var today = city.Today;
        var now = city.Clock.GetUtcNow().UtcDateTime;
        Assert.All(city.AllPetitions, p =>
        {
            Assert.InRange(p.ReceivedOn, today.AddDays(-730), today.AddDays(-1));
            DateOnly?[] steps = [p.FirstDecisionOn, p.AcceptedOn, p.RepliedOn, p.ReviewAcceptedOn, p.ReviewDecidedOn, p.RecheckAcceptedOn];
            var last = p.ReceivedOn;
            foreach (var step in steps.OfType<DateOnly>())
            {
                Assert.True(step >= last, $"{p.CaseNumber}: {step} precedes {last}");
                last = step;
            }
            if (p.DispatchedOn is { } dispatched) Assert.InRange(dispatched, p.FirstDecisionOn!.Value, p.AcceptedOn ?? today);
            if (p.EvaluatedOn is { } evaluated) Assert.InRange(evaluated, p.RepliedOn!.Value, today);
            if (p.FinishedOn is { } finished) Assert.InRange(finished, last, today);
            Assert.True(p.RegisteredAtUtc <= now);
        });
        var received = city.AllPetitions.ToDictionary(p => p.Id, p => p.ReceivedOn);
        Assert.All(city.Events, e =>
        {
            Assert.InRange(e.On, received[e.PetitionId], today);
            Assert.True(e.AtUtc <= now, $"event {e.Id} at {e.AtUtc:O} is after now");
            Assert.Equal(e.On, BusinessTime.ToBusinessDate(e.AtUtc));
        });
        foreach (var events in city.Events.GroupBy(e => e.PetitionId))
        {
            var list = events.OrderBy(e => e.Id).ToList();
            for (var i = 1; i < list.Count; i++) Assert.True(list[i].AtUtc > list[i - 1].AtUtc, $"events of petition {events.Key} out of order");
        }
    }

    [Fact]
    public void Repeats_SharePetitionerLocalityAndCategory_WithTheirThreadsFirst_AndSaySimilarThings()
    {
        var petitions = city.AllPetitions.ToDictionary(p => p.Id);
        var peopleOf = city.Links.ToLookup(l => l.PetitionId, l => l.PetitionerId);
        var repeats = city.AllPetitions.Where(p => p.IsRepeat).ToList();
        Assert.InRange(repeats.Count, DemoCityFixture.Petitions * 10 / 100, DemoCityFixture.Petitions * 20 / 100);
        foreach (var thread in city.Threads)
        {
            var members = city.AllPetitions.Where(p => p.ThreadId == thread.Id).OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).ToList();
            Assert.Equal(thread.PetitionCount, members.Count);
            Assert.Equal(thread.FirstPetitionId, members[0].Id);
            Assert.False(members[0].IsRepeat);
            Assert.Equal(thread.FirstReceivedOn, members[0].ReceivedOn);
            Assert.Equal(thread.LastReceivedOn, members[^1].ReceivedOn);
        }
        Assert.All(repeats, r =>
        {
            var first = petitions[city.Threads.First(t => t.Id == r.ThreadId).FirstPetitionId!.Value];
            Assert.True(r.ReceivedOn > first.ReceivedOn);
            Assert.Equal(first.Locality, r.Locality);
            Assert.Equal(first.Category, r.Category);
            Assert.True(peopleOf[r.Id].Intersect(peopleOf[first.Id]).Any(), $"{r.CaseNumber} shares no petitioner with {first.CaseNumber}");
            Assert.True(BigramJaccard(first.Demand, r.Demand) >= 0.5, $"{r.Demand} / {first.Demand}");
        });
    }

    [Fact]
    public void Petitioners_HaveValidUniqueIdNumbers_MobilePhones_AndTheIdentityKeyOfTheRule()
    {
        var withId = city.People.Where(p => p.IdNumber is not null).ToList();
        Assert.True(withId.Count > city.People.Count * 8 / 10);
        Assert.All(withId, p => Assert.True(IsValidIdNumber(p.IdNumber!), p.IdNumber));
        Assert.Equal(withId.Count, withId.Select(p => p.IdNumber).Distinct().Count());
        var mobile = new Regex("^1[3-9][0-9]{9}$");
        Assert.All(city.People.Where(p => p.Phone is not null), p => Assert.Matches(mobile, p.Phone!));
        Assert.All(city.People, p => Assert.Equal(p.IdNumber is not null ? "ID:" + p.IdNumber : $"NP:{p.Name}|{p.Phone}", p.IdentityKey));
        Assert.All(city.People, p => Assert.InRange(p.Name.Length, 2, 3));
        Assert.Contains(city.AllPetitions, p => p.PetitionerNames.Contains('、'));
    }

    [Fact]
    public void TheMix_HasEveryKindOfCaseADashboardShows()
    {
        var today = city.Today;
        var open = city.AllPetitions.Where(p => p.IsOpen).ToList();
        foreach (var state in new[] { PetitionState.Registered, PetitionState.Dispatched, PetitionState.Accepted, PetitionState.InHandling, PetitionState.UnderReview })
            Assert.Contains(open, p => p.State == state);
        foreach (var state in new[] { PetitionState.Closed, PetitionState.NotAccepted, PetitionState.Filed, PetitionState.RoutedToLegal, PetitionState.Replied, PetitionState.Terminated })
            Assert.Contains(city.AllPetitions, p => p.State == state);
        // Most old petitions are finished; the backlog has 超期 and 临期 cases.
        var old = city.AllPetitions.Where(p => p.ReceivedOn < today.AddDays(-365)).ToList();
        Assert.True(old.Count(p => PetitionLifecycle.IsFinished(p.State)) > old.Count * 9 / 10);
        Assert.Contains(open, p => DeadlineStatusRule.OfOpen(p.CurrentDueDate!.Value, today, 5) == DeadlineStatus.Overdue);
        Assert.Contains(open, p => DeadlineStatusRule.OfOpen(p.CurrentDueDate!.Value, today, 5) == DeadlineStatus.DueSoon);
        // Replies late and on time.
        var replied = city.AllPetitions.Where(p => p.RepliedOn is not null).ToList();
        Assert.Contains(replied, p => _deadlines.Completion(p) == DeadlineStatus.Late);
        Assert.True(replied.Count(p => _deadlines.Completion(p) == DeadlineStatus.OnTime) > replied.Count * 3 / 4);
        // Forms, purposes, group visits, simple procedure, evaluations of every kind.
        Assert.Equal(Enum.GetValues<PetitionForm>().Order(), city.AllPetitions.Select(p => p.Form).Distinct().Order());
        Assert.Equal(Enum.GetValues<PetitionPurpose>().Order(), city.AllPetitions.Select(p => p.Purpose!.Value).Distinct().Order());
        Assert.Contains(city.AllPetitions, p => p.Form == PetitionForm.Visit && p.PeopleCount >= 5);
        Assert.Contains(city.AllPetitions, p => p.SimpleProcedure && p.RepliedOn is not null);
        Assert.All(city.AllPetitions.Where(p => p.SimpleProcedure), p => Assert.False(p.IsRepeat));
        Assert.Equal(Enum.GetValues<Evaluation>().Order(), city.AllPetitions.Where(p => p.Evaluation is not null).Select(p => p.Evaluation!.Value).Distinct().Order());
        Assert.True(replied.Count(p => p.Evaluation is not null) > replied.Count / 2);
        Assert.All(city.AllPetitions, p => Assert.Equal(p.RepliedOn is not null, p.ReplyResult is not null));
        Assert.All(city.AllPetitions, p => Assert.Equal(p.Evaluation is not null, p.EvaluatedOn is not null));
        Assert.Contains(city.Threads, t => t.BacklogBatchId is not null);
    }

    [Fact]
    public void Extensions_HaveDaysReasonApproverAndAnEvent()
    {
        var extended = city.AllPetitions.Where(p => p.ExtensionDays > 0).ToList();
        Assert.NotEmpty(extended);
        var extensionEvents = city.Events.Where(e => e.Kind == PetitionEventKind.Extension).ToLookup(e => e.PetitionId);
        Assert.All(extended, p =>
        {
            Assert.InRange(p.ExtensionDays, 1, 30);
            Assert.False(p.SimpleProcedure);
            Assert.False(string.IsNullOrWhiteSpace(p.ExtensionReason));
            Assert.False(string.IsNullOrWhiteSpace(p.ExtensionApprover));
            var e = Assert.Single(extensionEvents[p.Id]);
            Assert.InRange(e.On, p.AcceptedOn!.Value, _deadlines.Reply(p.AcceptedOn.Value, 0, false).Due);
        });
        Assert.All(city.AllPetitions.Where(p => p.ExtensionDays == 0), p => Assert.Null(p.ExtensionReason));
    }

    [Fact]
    public void Supervision_IsWhatTheDailyRuleDerives_WithAnEventForTheCurrentLevel()
    {
        var today = city.Today;
        var threads = city.Threads.ToDictionary(t => t.Id);
        var open = city.AllPetitions.Where(p => p.IsOpen).ToLookup(p => p.ThreadId);
        var assigned = city.Assignments.Where(a => a.Status != AssignmentStatus.Resolved).Select(a => a.ThreadId).ToHashSet();
        var levelEvents = city.Events.Where(e => e.Kind == PetitionEventKind.SupervisionChanged).ToLookup(e => e.PetitionId);
        Assert.All(city.AllPetitions, p =>
        {
            var t = threads[p.ThreadId];
            var backlog = t.BacklogBatchId is not null || assigned.Contains(t.Id)
                || (open[t.Id].Any() && today.DayNumber - t.FirstReceivedOn.DayNumber > new BacklogOptions().AgeDays);
            var expected = SupervisionRule.Derive(p.IsOpen, p.CurrentDueDate, today, backlog, 5, 30);
            Assert.Equal(expected, p.Supervision);
            var last = levelEvents[p.Id].LastOrDefault();
            Assert.Equal(expected == SupervisionLevel.None ? null : $"→ {expected.ToChinese()}", last?.Detail?[last.Detail.IndexOf('→')..]);
        });
        Assert.Contains(city.AllPetitions, p => p.Supervision == SupervisionLevel.Listed);
        Assert.Contains(city.AllPetitions, p => p.RemindersSent > 0);
    }

    [Fact]
    public void LeaderAssignments_OnAboutOnePercentOfThreads_WithCalculatedDeadlinesAndProgress()
    {
        var today = city.Today;
        Assert.InRange(city.Assignments.Count, city.Threads.Count / 200, city.Threads.Count * 3 / 100);
        var threadSizes = city.Threads.ToDictionary(t => t.Id, t => t.PetitionCount);
        Assert.True(city.Assignments.Count(a => threadSizes[a.ThreadId] > 1) > city.Assignments.Count / 2, "包案 mostly on threads with repeats");
        Assert.All(city.Assignments, a =>
        {
            Assert.Equal(_deadlines.Assignment(a.AssignedOn, a.ExtensionDays).Due, a.DueOn);
            Assert.True(a.AssignedOn <= today);
            Assert.False(string.IsNullOrWhiteSpace(a.ResponsiblePerson));
            Assert.False(string.IsNullOrWhiteSpace(a.Plan));
            Assert.Equal(a.Status != AssignmentStatus.Active, a.ResolvedOn is not null);
            Assert.Equal(a.ResolvedOn is not null, a.ResolutionResult is not null);
            Assert.InRange(a.Progress.Count, 2, 4);
            // A relapsed 包案 keeps its resolution date and goes on after it (docs/rules.md §8).
            Assert.All(a.Progress, g => Assert.InRange(g.On, a.AssignedOn, a.Status == AssignmentStatus.Resolved ? a.ResolvedOn!.Value : today));
        });
        Assert.Contains(city.Assignments, a => a.Status == AssignmentStatus.Resolved);
        Assert.Contains(city.Assignments, a => a.Status == AssignmentStatus.Active);
    }
}
