using System.Reflection;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>The lifecycle of docs/rules.md §4: the full transition matrix, refusals that change nothing, the event trail.</summary>
public class PetitionLifecycleTests
{
    private static readonly DeadlineCalculator Calc = TestRules.Deadlines();
    private static readonly DateTime At = new(2025, 9, 26, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Day = D("2025-09-26");

    /// <summary>The arrows of the §4 diagram, plus the ones its text implies (see the report of the domain branch):
    /// 受理 is a first decision (Registered → Accepted), and the unit's 受理告知 may also refuse (Dispatched → NotAccepted,
    /// NotReaccepted, RoutedToLegal); 诉访分离 may route a case in handling (Accepted / InHandling → RoutedToLegal).</summary>
    private static readonly Dictionary<PetitionState, PetitionState[]> Contract = new()
    {
        [PetitionState.Registered] =
        [
            PetitionState.Dispatched, PetitionState.Accepted, PetitionState.NotAccepted, PetitionState.NotReaccepted,
            PetitionState.Filed, PetitionState.RoutedToLegal,
        ],
        [PetitionState.Dispatched] =
        [
            PetitionState.Accepted, PetitionState.Registered, PetitionState.NotAccepted, PetitionState.NotReaccepted,
            PetitionState.RoutedToLegal,
        ],
        [PetitionState.Accepted] = [PetitionState.InHandling, PetitionState.RoutedToLegal],
        [PetitionState.InHandling] = [PetitionState.Replied, PetitionState.RoutedToLegal],
        [PetitionState.Replied] = [PetitionState.Closed, PetitionState.UnderReview],
        [PetitionState.UnderReview] = [PetitionState.Reviewed],
        [PetitionState.Reviewed] = [PetitionState.UnderRecheck, PetitionState.Closed],
        [PetitionState.UnderRecheck] = [PetitionState.Terminated],
    };

    /// <summary>A path of legal transitions from registration to each state.</summary>
    private static readonly Dictionary<PetitionState, PetitionState[]> PathTo = new()
    {
        [PetitionState.Registered] = [],
        [PetitionState.Dispatched] = [PetitionState.Dispatched],
        [PetitionState.Accepted] = [PetitionState.Dispatched, PetitionState.Accepted],
        [PetitionState.InHandling] = [PetitionState.Accepted, PetitionState.InHandling],
        [PetitionState.Replied] = [PetitionState.Accepted, PetitionState.InHandling, PetitionState.Replied],
        [PetitionState.UnderReview] = [PetitionState.Accepted, PetitionState.InHandling, PetitionState.Replied, PetitionState.UnderReview],
        [PetitionState.Reviewed] =
            [PetitionState.Accepted, PetitionState.InHandling, PetitionState.Replied, PetitionState.UnderReview, PetitionState.Reviewed],
        [PetitionState.UnderRecheck] =
        [
            PetitionState.Accepted, PetitionState.InHandling, PetitionState.Replied, PetitionState.UnderReview, PetitionState.Reviewed,
            PetitionState.UnderRecheck,
        ],
        [PetitionState.Terminated] =
        [
            PetitionState.Accepted, PetitionState.InHandling, PetitionState.Replied, PetitionState.UnderReview, PetitionState.Reviewed,
            PetitionState.UnderRecheck, PetitionState.Terminated,
        ],
        [PetitionState.Closed] = [PetitionState.Accepted, PetitionState.InHandling, PetitionState.Replied, PetitionState.Closed],
        [PetitionState.NotAccepted] = [PetitionState.NotAccepted],
        [PetitionState.NotReaccepted] = [PetitionState.NotReaccepted],
        [PetitionState.Filed] = [PetitionState.Filed],
        [PetitionState.RoutedToLegal] = [PetitionState.Accepted, PetitionState.InHandling, PetitionState.RoutedToLegal],
    };

    private static Petition PetitionIn(PetitionState state)
    {
        var p = NewPetition(Day);
        PetitionLifecycle.Register(p, At, "登记员", Calc);
        foreach (var step in PathTo[state]) PetitionLifecycle.Transition(p, step, Day, At, "登记员", null, Calc);
        Assert.Equal(state, p.State);
        return p;
    }

    public static TheoryData<PetitionState, PetitionState> AllPairs()
    {
        var data = new TheoryData<PetitionState, PetitionState>();
        foreach (var from in Enum.GetValues<PetitionState>())
            foreach (var to in Enum.GetValues<PetitionState>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void TransitionMatrix_AllowsExactlyTheDiagram(PetitionState from, PetitionState to)
    {
        var p = PetitionIn(from);
        var allowed = Contract.TryGetValue(from, out var next) && next.Contains(to);
        if (allowed)
        {
            var e = PetitionLifecycle.Transition(p, to, Day, At, "承办人", "备注", Calc);
            Assert.Equal(to, p.State);
            Assert.Equal(from, e.FromState);
            Assert.Equal(to, e.ToState);
            Assert.Equal(to, LastTransition(p).ToState);
            Assert.Null(PetitionLifecycle.Refusal(from, to));
        }
        else
        {
            var before = Snapshot(p);
            var e = Assert.Throws<ActionRefusedException>(() => PetitionLifecycle.Transition(p, to, Day, At, "承办人", null, Calc));
            Assert.Contains(e.Message, c => c is >= '\u4E00' and <= '\u9FFF');
            Assert.Equal(PetitionLifecycle.Refusal(from, to), e.Message);
            Assert.Equal(before, Snapshot(p));
            if (from == PetitionState.Terminated) Assert.Contains("三级终结", e.Message);
        }
    }

    [Fact]
    public void TransitionMatrix_CoversEveryState()
    {
        Assert.Equal(Enum.GetValues<PetitionState>().Order(), PathTo.Keys.Order());
        foreach (var from in Enum.GetValues<PetitionState>())
            Assert.Equal(Contract.GetValueOrDefault(from, []).Order(), PetitionLifecycle.Next(from).Order());
    }

    [Theory]
    [InlineData(PetitionState.Terminated)]
    [InlineData(PetitionState.UnderRecheck)]
    [InlineData(PetitionState.Closed)]
    [InlineData(PetitionState.RoutedToLegal)]
    [InlineData(PetitionState.Reviewed)]
    public void StateEqualsTheLastTransitionEvent_AndEventsChain(PetitionState target)
    {
        var p = PetitionIn(target);
        var transitions = p.Events.Where(e => e.Kind == PetitionEventKind.Transition).ToList();
        Assert.Equal(PathTo[target].Length + 1, transitions.Count);
        Assert.Null(transitions[0].FromState);
        for (var i = 1; i < transitions.Count; i++) Assert.Equal(transitions[i - 1].ToState, transitions[i].FromState);
        Assert.Equal(p.State, transitions[^1].ToState);
    }

    [Theory]
    // Dispatched Fri 2025-09-26: the 5th working day is 10-10 (09-28 make-up Sunday counts, 10-01…10-08 do not).
    [InlineData("2025-09-28", true)]
    [InlineData("2025-10-10", true)]
    [InlineData("2025-10-11", false)] // a make-up Saturday: the 6th working day
    [InlineData("2025-10-13", false)]
    public void Objection_OnlyWithin5WorkingDaysOfDispatch(string on, bool allowed)
    {
        var p = PetitionIn(PetitionState.Dispatched);
        Assert.Equal(Day, p.DispatchedOn);
        if (allowed)
        {
            PetitionLifecycle.Transition(p, PetitionState.Registered, D(on), At, "责任单位", "非本单位职责", Calc);
            Assert.Equal(PetitionState.Registered, p.State);
            Assert.Null(p.DispatchedOn);
            // Back with the bureau: the first-decision deadline of the received date applies again (09-26 + 15 = 10-11).
            Assert.Equal(D("2025-10-11"), p.CurrentDueDate);
        }
        else
        {
            var before = Snapshot(p);
            var e = Assert.Throws<ActionRefusedException>(() =>
                PetitionLifecycle.Transition(p, PetitionState.Registered, D(on), At, "责任单位", null, Calc));
            Assert.Contains("5个工作日", e.Message);
            Assert.Contains("2025-10-10", e.Message);
            Assert.Equal(before, Snapshot(p));
        }
    }

    [Fact]
    public void Register_SetsStateEventAndFirstDecisionDeadline()
    {
        var p = NewPetition(D("2025-09-20"));
        var e = PetitionLifecycle.Register(p, At, "登记员", Calc);
        Assert.Equal(PetitionState.Registered, p.State);
        Assert.Equal(D("2025-10-09"), p.CurrentDueDate); // Sat 09-20 + 15 = Sun 10-05 (National Day) → Thu 10-09
        Assert.Null(e.FromState);
        Assert.Equal(PetitionState.Registered, e.ToState);
        Assert.Single(p.Events);
    }

    [Fact]
    public void Register_Twice_IsRefused()
    {
        var p = NewPetition(D("2025-09-20"));
        PetitionLifecycle.Register(p, At, "登记员", Calc);
        var before = Snapshot(p);
        Assert.Throws<ActionRefusedException>(() => PetitionLifecycle.Register(p, At, "登记员", Calc));
        Assert.Equal(before, Snapshot(p));
    }

    [Fact]
    public void Transition_KeepsTheCurrentDeadlineOfTheStepItWaitsOn()
    {
        var p = NewPetition(D("2026-07-14"));
        PetitionLifecycle.Register(p, At, "登记员", Calc);
        Assert.Equal(D("2026-07-29"), p.CurrentDueDate); // Tue 07-14 + 15 = Wed 07-29
        PetitionLifecycle.Transition(p, PetitionState.Dispatched, D("2026-07-17"), At, "登记员", null, Calc);
        Assert.Equal(D("2026-08-03"), p.CurrentDueDate); // Fri 07-17 + 15 = Sat 08-01 → Mon 08-03
        PetitionLifecycle.Transition(p, PetitionState.Accepted, D("2026-07-20"), At, "责任单位", null, Calc);
        Assert.Equal(D("2026-07-17"), p.FirstDecisionOn); // the dispatch was the first decision
        Assert.Equal(D("2026-09-18"), p.CurrentDueDate); // Mon 07-20 + 60 = Fri 09-18
        PetitionLifecycle.Transition(p, PetitionState.InHandling, D("2026-07-21"), At, "责任单位", null, Calc);
        Assert.Equal(D("2026-09-18"), p.CurrentDueDate);
        PetitionLifecycle.Transition(p, PetitionState.Replied, D("2026-09-10"), At, "责任单位", null, Calc);
        Assert.Null(p.CurrentDueDate); // waits on the petitioner
        Assert.Equal(D("2026-09-10"), p.RepliedOn);
        PetitionLifecycle.Transition(p, PetitionState.UnderReview, D("2026-09-28"), At, "复查机关", null, Calc);
        Assert.Equal(D("2026-10-28"), p.CurrentDueDate); // Mon 09-28 + 30 = Wed 10-28
    }

    [Fact]
    public void Transition_DatedBeforeTheReceivedDateOrThePreviousStep_IsRefused()
    {
        var p = NewPetition(D("2026-07-14"));
        PetitionLifecycle.Register(p, At, "登记员", Calc);
        Assert.Throws<ActionRefusedException>(() =>
            PetitionLifecycle.Transition(p, PetitionState.Accepted, D("2026-07-13"), At, "登记员", null, Calc));
        PetitionLifecycle.Transition(p, PetitionState.Accepted, D("2026-07-20"), At, "登记员", null, Calc);
        var before = Snapshot(p);
        var e = Assert.Throws<ActionRefusedException>(() =>
            PetitionLifecycle.Transition(p, PetitionState.InHandling, D("2026-07-18"), At, "登记员", null, Calc));
        Assert.Contains("2026-07-20", e.Message);
        Assert.Equal(before, Snapshot(p));
    }

    [Fact]
    public void Terminated_三级终结_RefusesEveryStep_WithTheRuleOfNoFurtherAcceptance()
    {
        var p = PetitionIn(PetitionState.Terminated);
        var before = Snapshot(p);
        foreach (var to in Enum.GetValues<PetitionState>())
        {
            var e = Assert.Throws<ActionRefusedException>(() => PetitionLifecycle.Transition(p, to, Day.AddDays(400), At, "复核机关", null, Calc));
            Assert.Equal("信访事项已经复核终结（三级终结），同一事实和理由不再受理", e.Message);
        }
        Assert.Equal(before, Snapshot(p));
        Assert.True(PetitionLifecycle.IsFinished(PetitionState.Terminated));
        Assert.Empty(PetitionLifecycle.Next(PetitionState.Terminated));
    }

    [Fact]
    public void Transition_WhoseNewDeadlineCannotBeComputed_ChangesNothing()
    {
        // Inconsistent stored data (a 简易办理 case carrying an extension): the reply deadline refuses it, and the
        // transition must fail before the state moves.
        var p = PetitionIn(PetitionState.Accepted);
        p.SimpleProcedure = true;
        p.ExtensionDays = 5;
        var before = Snapshot(p);
        Assert.Throws<ActionRefusedException>(() =>
            PetitionLifecycle.Transition(p, PetitionState.InHandling, Day, At, "承办人", null, Calc));
        Assert.Equal(before, Snapshot(p));
    }

    [Fact]
    public void Finishing_ClearsTheSupervisionLevel_AndRecordsThatAsAnEvent()
    {
        var p = PetitionIn(PetitionState.InHandling);
        p.Supervision = SupervisionLevel.Listed;
        p.SupervisionRaisedByHand = true;
        PetitionLifecycle.Transition(p, PetitionState.RoutedToLegal, Day, At, "承办人", "诉访分离", Calc);
        Assert.Equal(SupervisionLevel.None, p.Supervision);
        Assert.False(p.SupervisionRaisedByHand);
        var change = Assert.Single(p.Events, e => e.Kind == PetitionEventKind.SupervisionChanged);
        Assert.Equal("挂牌督办 → 无", change.Detail);
        Assert.Equal(PetitionState.RoutedToLegal, LastTransition(p).ToState);
        Assert.Equal(Day, p.FinishedOn);
    }

    [Fact]
    public void Finishing_WithoutASupervisionLevel_AddsNoSupervisionEvent()
    {
        var p = PetitionIn(PetitionState.Closed);
        Assert.DoesNotContain(p.Events, e => e.Kind == PetitionEventKind.SupervisionChanged);
    }

    private static PetitionEvent LastTransition(Petition p) => p.Events.Last(e => e.Kind == PetitionEventKind.Transition);

    /// <summary>Every scalar property of the petition and every field of its events, as text.</summary>
    private static string Snapshot(Petition p)
    {
        static string Scalars(object o) => string.Join(";", o.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(pr => pr.PropertyType.IsValueType || pr.PropertyType == typeof(string))
            .Select(pr => $"{pr.Name}={pr.GetValue(o)}"));
        return Scalars(p) + "|" + string.Join("|", p.Events.Select(Scalars));
    }
}

/// <summary>延期 and 评价: changes that are not states but carry their own events (docs/rules.md §3, §4).</summary>
public class ExtensionAndEvaluationTests
{
    private static readonly DeadlineCalculator Calc = TestRules.Deadlines();
    private static readonly DateTime At = new(2026, 7, 20, 2, 0, 0, DateTimeKind.Utc);

    private static Petition InHandling(bool simple = false)
    {
        var p = NewPetition(D("2026-07-14"));
        p.SimpleProcedure = simple;
        PetitionLifecycle.Register(p, At, "登记员", Calc);
        PetitionLifecycle.Transition(p, PetitionState.Accepted, D("2026-07-15"), At, "承办人", null, Calc);
        PetitionLifecycle.Transition(p, PetitionState.InHandling, D("2026-07-15"), At, "承办人", null, Calc);
        return p;
    }

    [Fact]
    public void Extend_MovesTheReplyDeadline_OnceAndRecordsIt()
    {
        var p = InHandling();
        Assert.Equal(D("2026-09-14"), p.CurrentDueDate); // Wed 07-15 + 60 = Sun 09-13 → Mon 09-14
        var e = PetitionLifecycle.Extend(p, 15, "李局长", "涉及多部门，需会商", D("2026-09-01"), At, "承办人", Calc);
        Assert.Equal(D("2026-09-28"), p.CurrentDueDate); // 07-15 + 75 = Mon 09-28 (not 09-14 + 15)
        Assert.Equal(15, p.ExtensionDays);
        Assert.Equal(PetitionEventKind.Extension, e.Kind);
        Assert.Contains("2026-09-14 → 2026-09-28", e.Detail);
        var again = Assert.Throws<ActionRefusedException>(() =>
            PetitionLifecycle.Extend(p, 5, "李局长", "再次延期", D("2026-09-02"), At, "承办人", Calc));
        Assert.Contains("只能延长一次", again.Message);
        Assert.Equal(D("2026-09-28"), p.CurrentDueDate);
    }

    [Theory]
    [InlineData(31, "李局长", "理由", false, "30日")]
    [InlineData(0, "李局长", "理由", false, "至少")]
    [InlineData(10, " ", "理由", false, "批准人")]
    [InlineData(10, "李局长", "", false, "理由")]
    [InlineData(10, "李局长", "理由", true, "简易办理")]
    public void Extend_IsRefused_WithTheRule(int days, string approver, string reason, bool simple, string rule)
    {
        var p = InHandling(simple);
        var due = p.CurrentDueDate;
        var events = p.Events.Count;
        var e = Assert.Throws<ActionRefusedException>(() => PetitionLifecycle.Extend(p, days, approver, reason, D("2026-07-20"), At, "承办人", Calc));
        Assert.Contains(rule, e.Message);
        Assert.Equal(0, p.ExtensionDays);
        Assert.Equal(due, p.CurrentDueDate);
        Assert.Equal(events, p.Events.Count);
    }

    [Fact]
    public void Evaluate_OnlyAfterTheReply_AndIsNotAState()
    {
        var p = InHandling();
        Assert.Throws<ActionRefusedException>(() => PetitionLifecycle.Evaluate(p, Evaluation.Satisfied, D("2026-08-01"), At, "登记员", null));
        PetitionLifecycle.Transition(p, PetitionState.Replied, D("2026-08-10"), At, "承办人", null, Calc);
        Assert.Throws<ActionRefusedException>(() => PetitionLifecycle.Evaluate(p, Evaluation.Satisfied, D("2026-08-09"), At, "登记员", null));
        PetitionLifecycle.Transition(p, PetitionState.Closed, D("2026-09-15"), At, "系统", null, Calc);
        var e = PetitionLifecycle.Evaluate(p, Evaluation.BasicallySatisfied, D("2026-09-20"), At, "登记员", "电话回访");
        Assert.Equal(PetitionState.Closed, p.State);
        Assert.Equal(Evaluation.BasicallySatisfied, p.Evaluation);
        Assert.Equal(D("2026-09-20"), p.EvaluatedOn);
        Assert.Equal("未评价 → 基本满意", e.Detail);
        Assert.Equal(PetitionState.Closed, p.Events.Last(x => x.Kind == PetitionEventKind.Transition).ToState);
    }
}
