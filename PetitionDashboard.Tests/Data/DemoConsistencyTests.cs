using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// The demo city (3,000 petitions, pinned seed and clock, written to SQLite) holds every rule the app enforces on the rows
/// it writes itself: 集中交办 batches, one 包案 in force per thread, relapses, field rules. The petition lifecycle (state =
/// last transition, dates in lifecycle order, deadlines = the calculator's, thread counts) is checked row by row in
/// <see cref="DemoDataGeneratorTests"/> over the same city.
/// </summary>
public sealed class DemoConsistencyTests(DemoCityFixture city) : IClassFixture<DemoCityFixture>
{
    [Fact]
    public void EveryBatchNumber_IsARealBatch_HoldingExactlyItsThreadsAnd包案()
    {
        var batches = city.Batches.ToDictionary(b => b.Id);
        Assert.NotEmpty(batches);
        Assert.All(city.Threads.Where(t => t.BacklogBatchId is not null), t => Assert.Contains(t.BacklogBatchId!.Value, batches.Keys));
        Assert.All(city.Assignments.Where(a => a.BatchId is not null), a => Assert.Contains(a.BatchId!.Value, batches.Keys));

        var threads = city.Threads.ToDictionary(t => t.Id);
        var assignmentsByBatch = city.Assignments.Where(a => a.BatchId is not null).ToLookup(a => a.BatchId!.Value);
        foreach (var batch in city.Batches)
        {
            // What AssignmentService.AssignBatchAsync writes: one leader, assigned on the batch's date, each thread marked.
            var held = assignmentsByBatch[batch.Id].ToList();
            Assert.NotEmpty(held);
            Assert.Single(held.Select(a => a.LeaderId).Distinct());
            Assert.All(held, a => Assert.Equal(batch.CreatedOn, a.AssignedOn));
            Assert.All(held, a => Assert.Equal(batch.Id, threads[a.ThreadId].BacklogBatchId));
            Assert.Equal(
                city.Threads.Where(t => t.BacklogBatchId == batch.Id).Select(t => t.Id).Order(),
                held.Select(a => a.ThreadId).Order());
            Assert.InRange(batch.CreatedOn, city.Today.AddDays(-730), city.Today.AddDays(-1));
            Assert.Equal(batch.CreatedOn, BusinessTime.ToBusinessDate(batch.CreatedAtUtc));
        }
    }

    [Fact]
    public void A集中交办Thread_HadAnOpenPetitionOnTheBatchDate()
    {
        var batches = city.Batches.ToDictionary(b => b.Id);
        var transitions = city.Events.Where(e => e.Kind == PetitionEventKind.Transition).ToLookup(e => e.PetitionId);
        foreach (var thread in city.Threads.Where(t => t.BacklogBatchId is not null))
        {
            var on = batches[thread.BacklogBatchId!.Value].CreatedOn;
            var openThen = city.AllPetitions.Where(p => p.ThreadId == thread.Id && p.ReceivedOn <= on).Any(p =>
                PetitionLifecycle.IsOpen(transitions[p.Id].Where(e => e.On <= on).OrderBy(e => e.Id).Last().ToState!.Value));
            Assert.True(openThen, $"thread {thread.Id} was finished on {on:yyyy-MM-dd}, when batch {thread.BacklogBatchId} took it");
        }
    }

    [Fact]
    public void AtMostOne包案InForcePerThread()
    {
        var inForce = city.Assignments.Where(a => AssignmentLifecycle.IsInForce(a.Status)).GroupBy(a => a.ThreadId);
        Assert.All(inForce, g => Assert.Single(g));
    }

    [Fact]
    public void ResolvedAndRelapsed包案_HaveTheDatesTheLifecycleKeeps_AndARelapseIsARepeatAfterTheResolution()
    {
        var petitionsByThread = city.AllPetitions.ToLookup(p => p.ThreadId);
        var relapsed = 0;
        Assert.All(city.Assignments, a =>
        {
            var received = petitionsByThread[a.ThreadId].ToList();
            switch (a.Status)
            {
                case AssignmentStatus.Active:
                    Assert.Null(a.ResolvedOn);
                    Assert.Null(a.RelapsedOn);
                    Assert.Empty(a.Resolutions);
                    break;
                case AssignmentStatus.Resolved:
                    Assert.InRange(a.ResolvedOn!.Value, a.AssignedOn, city.Today);
                    Assert.Null(a.RelapsedOn);
                    // The dated resolution the weekly figures read (docs/rules.md §8) is the one on the row.
                    Assert.Equal([(a.ResolvedOn.Value, (DateOnly?)null)], a.Resolutions.Select(r => (r.ResolvedOn, r.RelapsedOn)).ToList());
                    // A repeat after 息诉罢访 would have reopened it (再访原领导包, §6).
                    Assert.DoesNotContain(received, p => p.ReceivedOn > a.ResolvedOn);
                    break;
                case AssignmentStatus.Relapsed:
                    relapsed++;
                    Assert.True(a.AssignedOn <= a.ResolvedOn && a.ResolvedOn < a.RelapsedOn, $"包案 {a.Id}: {a.AssignedOn} {a.ResolvedOn} {a.RelapsedOn}");
                    var reopenedBy = received.Where(p => p.ReceivedOn > a.ResolvedOn).MinBy(p => p.ReceivedOn);
                    Assert.NotNull(reopenedBy);
                    Assert.True(reopenedBy.IsRepeat);
                    Assert.Equal(reopenedBy.ReceivedOn, a.RelapsedOn);
                    Assert.Contains(a.Progress, g => g.On == a.RelapsedOn && g.Action.StartsWith("反弹：", StringComparison.Ordinal));
                    Assert.Contains(city.Events, e => e.PetitionId == reopenedBy.Id && e.Kind == PetitionEventKind.AssignmentChanged
                        && e.Detail!.StartsWith("包案已化解 → 反弹", StringComparison.Ordinal));
                    // 化解 in the weeks before the relapse, not from its week on (docs/rules.md §8).
                    var resolutions = a.Resolutions.Select(r => (r.ResolvedOn, r.RelapsedOn)).ToList();
                    Assert.Equal([(a.ResolvedOn!.Value, a.RelapsedOn)], resolutions);
                    Assert.True(AssignmentLifecycle.IsResolvedBy(resolutions, a.RelapsedOn!.Value.AddDays(-1)));
                    Assert.False(AssignmentLifecycle.IsResolvedBy(resolutions, a.RelapsedOn.Value));
                    break;
            }
        });
        Assert.True(relapsed > 0, "the demo shows a relapsed 包案");
    }

    [Fact]
    public void EveryPetitionAndPetitioner_PassesTheFieldRulesRegistrationAndImportApply()
    {
        // The same rules and code tables registration checks (RegistrationService) and a ledger row is checked against.
        var localities = city.Units.Where(u => u.Kind == PetitionFieldRules.LocalityKind).Select(u => u.Name).ToList();
        var categories = city.Categories.Where(c => c.Active).Select(c => c.Name).ToList();
        Assert.All(city.AllPetitions, p =>
        {
            Assert.Null(PetitionFieldRules.Locality(p.Locality, localities));
            Assert.Null(PetitionFieldRules.Category(p.Category, categories));
            Assert.Null(PetitionFieldRules.Demand(p.Demand));
            Assert.InRange(p.PetitionerNames.Length, 1, FieldLengths.PetitionerNames);
            Assert.True(p.PeopleCount >= 1);
            Assert.True(Enum.IsDefined(p.Form));
            Assert.True(p.Purpose is null || Enum.IsDefined(p.Purpose.Value));
        });
        Assert.All(city.People, person =>
        {
            Assert.Null(PetitionFieldRules.PersonName(person.Name));
            Assert.Null(PetitionFieldRules.IdNumber(person.IdNumber));
            Assert.Null(PetitionFieldRules.Phone(person.Phone));
            Assert.Null(PetitionFieldRules.Address(person.Address));
        });
        Assert.All(city.Assignments, a =>
        {
            Assert.InRange(a.ResponsiblePerson.Length, 1, FieldLengths.PersonName);
            Assert.InRange(a.Plan.Length, 1, FieldLengths.AssignmentPlan);
            Assert.All(a.Progress, g => Assert.InRange(g.Action.Length, 1, FieldLengths.AssignmentProgress));
        });
    }

    [Fact]
    public async Task ReceptionDays_TheirRecords_AndVisits_KeepTheRulesOfSection11()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = city.Database.CreateDbContext();
        var days = await db.ReceptionDays.Include(d => d.Bookings).AsNoTracking().ToListAsync(ct);
        Assert.Contains(days, d => d.On < city.Today && d.Bookings.Any(b => b.Attended == true));
        Assert.Contains(days, d => d.On > city.Today && d.Bookings.Count > 0);
        var petitions = city.AllPetitions.ToDictionary(p => p.Id);
        foreach (var d in days)
        {
            // Published at least the day before (§11), within capacity.
            Assert.True(BusinessTime.ToBusinessDate(d.PublishedAtUtc) < d.On);
            Assert.InRange(d.Bookings.Count, 0, d.Capacity);
            foreach (var b in d.Bookings)
            {
                Assert.Equal(b.WalkIn, BusinessTime.ToBusinessDate(b.BookedAtUtc) == d.On);
                Assert.True(BusinessTime.ToBusinessDate(b.BookedAtUtc) <= d.On);
                if (b.Attended is null)
                {
                    Assert.True(d.On >= city.Today, "a past reception day has every booking recorded");
                    continue;
                }
                // A petition received at the reception: a 来访 registered on that day, marked, with its timeline event.
                Assert.True(d.On <= city.Today);
                var p = petitions[b.PetitionId!.Value];
                Assert.Equal((PetitionForm.Visit, d.On, (DateOnly?)d.On), (p.Form, p.ReceivedOn, p.LeaderReceptionOn));
                Assert.Contains(city.Links, l => l.PetitionId == p.Id && l.PetitionerId == b.PetitionerId);
                Assert.Contains(city.Events, e => e.PetitionId == p.Id && e.Kind == PetitionEventKind.LeaderReception && e.On == d.On);
            }
        }
        var recordedPetitions = days.SelectMany(d => d.Bookings).Where(b => b.Attended == true).Select(b => b.PetitionId!.Value).Order();
        Assert.Equal(recordedPetitions, city.AllPetitions.Where(p => p.LeaderReceptionOn is not null).Select(p => p.Id).Order());

        var visits = await db.LeaderVisits.Include(v => v.Petitions).AsNoTracking().ToListAsync(ct);
        Assert.NotEmpty(visits);
        Assert.All(visits, v =>
        {
            Assert.True(v.On < city.Today);
            Assert.NotEmpty(v.Petitions);
            Assert.All(v.Petitions, link => Assert.True(petitions[link.PetitionId].Locality == v.Locality && petitions[link.PetitionId].ReceivedOn <= v.On));
        });
    }

    [Fact]
    public void The批示_AreTheFirstLeaders_WithTheDefaultDeadline_ResponsesInOrder_AndTheirTimelineEvents()
    {
        var petitions = city.AllPetitions.ToDictionary(p => p.Id);
        var transitions = city.Events.Where(e => e.Kind == PetitionEventKind.Transition).ToLookup(e => e.PetitionId);
        var events = city.Events.Where(e => e.Kind is PetitionEventKind.Instruction or PetitionEventKind.InstructionResponse).ToLookup(e => e.PetitionId);
        var firstLeader = city.Leaders.MinBy(l => l.Id)!;
        var workingDays = new InstructionOptions().ResponseWorkingDays;
        Assert.All(city.Instructions, i =>
        {
            // What InstructionService.WriteAsync would have accepted and written (§12), by the demo Leader account's leader.
            Assert.Equal(firstLeader.Id, i.LeaderId);
            Assert.InRange(i.Text.Length, 1, InstructionRules.MaxTextLength);
            Assert.InRange(i.WrittenOn, city.Today.AddDays(-DemoDataGenerator.HistoryDays), city.Today.AddDays(-1));
            Assert.Equal(InstructionRules.DefaultDue(TestRules.Calendar, i.WrittenOn, workingDays), i.DueOn);
            Assert.NotEmpty(i.Units);
            Assert.Equal(i.Units.Count, i.Units.Select(u => u.UnitId).Distinct().Count());
            var p = petitions[i.PetitionId];
            Assert.True(p.ReceivedOn <= i.WrittenOn);
            Assert.True(PetitionLifecycle.IsOpen(transitions[p.Id].Where(e => e.On <= i.WrittenOn).OrderBy(e => e.Id).Last().ToState!.Value),
                $"批示 {i.Id} was written on {i.WrittenOn:yyyy-MM-dd}, when {p.CaseNumber} was already finished");
            Assert.Contains(i.Units, u => u.UnitId == p.UnitId);
            Assert.True(i.ThreadId is null || i.ThreadId == p.ThreadId);
            var written = Assert.Single(events[p.Id], e => e.Kind == PetitionEventKind.Instruction && e.AtUtc == i.WrittenAtUtc);
            Assert.Equal((i.WrittenOn, i.Text, InstructionTimeline.WrittenDetail(i.Important, i.ThreadId is not null, i.Units.OrderBy(u => u.UnitId).Select(u => u.Unit.Name), i.DueOn)),
                (written.On, written.Note!, written.Detail!));
            Assert.Equal(i.WrittenOn, BusinessTime.ToBusinessDate(i.WrittenAtUtc));
            foreach (var u in i.Units.Where(u => u.RespondedOn is not null))
            {
                // What RespondAsync accepts: not before the 批示, not in the future, text and attachment within their lengths.
                Assert.InRange(u.RespondedOn!.Value, i.WrittenOn, city.Today.AddDays(-1));
                Assert.InRange(u.ResponseText!.Length, 1, InstructionRules.MaxResponseLength);
                Assert.InRange(u.AttachmentName!.Length, 1, InstructionRules.MaxAttachmentNameLength);
                var response = Assert.Single(events[p.Id], e => e.Kind == PetitionEventKind.InstructionResponse && e.AtUtc == u.RecordedAtUtc);
                Assert.Equal((u.RespondedOn.Value, InstructionTimeline.ResponseDetail(u.Unit.Name, InstructionRules.IsLate(i.DueOn, u.RespondedOn.Value), u.AttachmentName)),
                    (response.On, response.Detail!));
            }
            Assert.Equal(1 + i.Units.Count(u => u.RespondedOn is not null), events[p.Id].Count(e => e.AtUtc == i.WrittenAtUtc || i.Units.Any(u => u.RecordedAtUtc == e.AtUtc)));
        });
        // Every event of a 批示 belongs to one.
        Assert.Equal(city.Instructions.Sum(i => 1 + i.Units.Count(u => u.RespondedOn is not null)), events.Sum(g => g.Count()));

        // The handful the demo shows: answered on time, answered late (逾期反馈), still waiting, partly answered, one on a
        // whole thread, and exactly one 超期未反馈 (the home page's card).
        var status = city.Instructions.Select(i => (i, Status: InstructionRules.Status(i.DueOn, city.Today, i.Units.Count, i.Units.Count(u => u.RespondedOn is not null)))).ToList();
        Assert.InRange(city.Instructions.Count, 5, 10);
        Assert.Single(status, s => s.Status == InstructionStatus.OverdueUnanswered);
        Assert.Contains(status, s => s.Status == InstructionStatus.Done && s.i.Units.All(u => !InstructionRules.IsLate(s.i.DueOn, u.RespondedOn!.Value)));
        Assert.Contains(status, s => s.Status == InstructionStatus.Done && s.i.Units.Any(u => InstructionRules.IsLate(s.i.DueOn, u.RespondedOn!.Value)));
        Assert.Contains(status, s => s.Status == InstructionStatus.Waiting && s.i.Units.All(u => u.RespondedOn is null));
        Assert.Contains(status, s => s.Status == InstructionStatus.Waiting && s.i.Units.Any(u => u.RespondedOn is not null));
        Assert.Contains(city.Instructions, i => i.ThreadId is not null && city.AllPetitions.Count(p => p.ThreadId == i.ThreadId) > 1);
    }

    [Fact]
    public async Task TheDatabase_RefusesABatchNumberWithoutItsBatch()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateDbContext();
        db.Threads.Add(new PetitionThread { FirstReceivedOn = city.Today, LastReceivedOn = city.Today, BacklogBatchId = 999 });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(ct));
    }
}
