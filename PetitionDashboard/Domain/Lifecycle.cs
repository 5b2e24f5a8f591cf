namespace PetitionDashboard.Domain;

/// <summary>The petition lifecycle of DOMAIN.md §4: which state may follow which, and under which rule.</summary>
public static class PetitionLifecycle
{
    private static readonly PetitionState[] Open =
    [
        PetitionState.Registered, PetitionState.Dispatched, PetitionState.Accepted, PetitionState.InHandling,
        PetitionState.UnderReview, PetitionState.UnderRecheck,
    ];

    private static readonly PetitionState[] Finished =
    [
        PetitionState.Closed, PetitionState.Terminated, PetitionState.NotAccepted, PetitionState.NotReaccepted,
        PetitionState.Filed, PetitionState.RoutedToLegal,
    ];

    /// <summary>在办: the bureau or a unit owes the next step.</summary>
    public static IReadOnlyList<PetitionState> OpenStates => Open;

    public static IReadOnlyList<PetitionState> FinishedStates => Finished;

    public static bool IsOpen(PetitionState s) => Open.Contains(s);

    public static bool IsFinished(PetitionState s) => Finished.Contains(s);

    private static readonly Dictionary<PetitionState, PetitionState[]> Allowed = new()
    {
        [PetitionState.Registered] =
        [
            PetitionState.Dispatched, PetitionState.Accepted, PetitionState.NotAccepted, PetitionState.NotReaccepted,
            PetitionState.Filed, PetitionState.RoutedToLegal,
        ],
        [PetitionState.Dispatched] =
            [PetitionState.Accepted, PetitionState.Registered, PetitionState.NotAccepted, PetitionState.RoutedToLegal],
        [PetitionState.Accepted] = [PetitionState.InHandling, PetitionState.RoutedToLegal],
        [PetitionState.InHandling] = [PetitionState.Replied, PetitionState.RoutedToLegal],
        [PetitionState.Replied] = [PetitionState.Closed, PetitionState.UnderReview],
        [PetitionState.UnderReview] = [PetitionState.Reviewed],
        [PetitionState.Reviewed] = [PetitionState.UnderRecheck, PetitionState.Closed],
        [PetitionState.UnderRecheck] = [PetitionState.Terminated],
    };

    public static IReadOnlyList<PetitionState> Next(PetitionState from) =>
        Allowed.TryGetValue(from, out var next) ? next : [];

    /// <summary>Null when the transition is allowed; otherwise the zh-CN rule that refuses it.</summary>
    public static string? Refusal(PetitionState from, PetitionState to)
    {
        if (Next(from).Contains(to)) return null;
        if (IsFinished(from))
            return from == PetitionState.Terminated
                ? "信访事项已经复核终结（三级终结），同一事实和理由不再受理"
                : $"信访事项已{from.ToChinese()}，不能再变更为“{to.ToChinese()}”";
        return to switch
        {
            PetitionState.Replied => "只有办理中的信访事项才能答复（受理 → 办理中 → 已答复）",
            PetitionState.Closed => "只有已答复（复查期满未申请）或复查终了的信访事项才能办结",
            PetitionState.UnderReview => "只有已答复的信访事项才能申请复查",
            PetitionState.UnderRecheck => "只有已复查的信访事项才能申请复核",
            PetitionState.Terminated => "只有复核中的信访事项才能终结",
            _ => $"信访事项处于“{from.ToChinese()}”时不能变更为“{to.ToChinese()}”",
        };
    }

    /// <summary>
    /// Applies a transition: checks the rule, sets the dates the new state implies, appends the event.
    /// Refused transitions throw <see cref="DomainRuleException"/> before anything changes.
    /// </summary>
    public static PetitionEvent Transition(
        Petition petition, PetitionState to, DateOnly on, DateTime atUtc, string actor, string? note,
        DeadlineCalculator deadlines)
    {
        var from = petition.State;
        if (Refusal(from, to) is { } refusal) throw new DomainRuleException(refusal);
        if (on < petition.ReceivedOn) throw new DomainRuleException($"办理日期 {on:yyyy-MM-dd} 不能早于登记日期 {petition.ReceivedOn:yyyy-MM-dd}");
        if (from == PetitionState.Dispatched && to == PetitionState.Registered)
        {
            var window = deadlines.Objection(petition.DispatchedOn ?? petition.ReceivedOn);
            if (on > window.Due)
                throw new DomainRuleException($"异议退回须在责任单位收到之日起{window.Limit}个工作日内提出（截至 {window.Due:yyyy-MM-dd}）");
        }

        switch (to)
        {
            case PetitionState.Dispatched:
                petition.DispatchedOn = on;
                petition.FirstDecisionOn ??= on;
                break;
            case PetitionState.Registered:
                petition.DispatchedOn = null;
                break;
            case PetitionState.Accepted:
                petition.AcceptedOn = on;
                petition.FirstDecisionOn ??= on;
                break;
            case PetitionState.Replied:
                petition.RepliedOn = on;
                break;
            case PetitionState.UnderReview:
                petition.ReviewAcceptedOn = on;
                break;
            case PetitionState.Reviewed:
                petition.ReviewDecidedOn = on;
                break;
            case PetitionState.UnderRecheck:
                petition.RecheckAcceptedOn = on;
                break;
            case PetitionState.NotAccepted or PetitionState.NotReaccepted or PetitionState.Filed or PetitionState.RoutedToLegal:
                petition.FirstDecisionOn ??= on;
                break;
        }
        if (IsFinished(to)) petition.FinishedOn = on;
        petition.State = to;
        petition.CurrentDueDate = deadlines.Current(petition)?.Due;
        if (!IsOpen(to))
        {
            petition.Supervision = SupervisionLevel.None;
            petition.SupervisionRaisedByHand = false;
        }

        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.Transition, On = on, AtUtc = atUtc, Actor = actor,
            FromState = from, ToState = to, Note = note,
        };
        petition.Events.Add(e);
        return e;
    }

    /// <summary>Registers a new petition: state Registered, its first event, its first-decision deadline.</summary>
    public static PetitionEvent Register(Petition petition, DateTime atUtc, string actor, DeadlineCalculator deadlines)
    {
        petition.State = PetitionState.Registered;
        petition.RegisteredAtUtc = atUtc;
        petition.CurrentDueDate = deadlines.FirstDecision(petition.ReceivedOn).Due;
        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.Transition, On = petition.ReceivedOn, AtUtc = atUtc,
            Actor = actor, FromState = null, ToState = PetitionState.Registered, Note = "登记",
        };
        petition.Events.Add(e);
        return e;
    }
}
