namespace PetitionDashboard.Domain;

/// <summary>The petition lifecycle of docs/rules.md §4: which state may follow which, and under which rule.</summary>
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

    /// <summary>
    /// 在办 as the SQL filter of the partial indexes on open petitions. Written exactly as EF writes the IN-list of
    /// <c>BacklogQuery.IsOpen</c>, so SQLite recognises that a query's WHERE implies the index's.
    /// </summary>
    public static string OpenSqlFilter(string stateColumn) => $"{stateColumn} IN ({string.Join(", ", Open.Select(s => (int)s))})";

    public static bool IsFinished(PetitionState s) => Finished.Contains(s);

    private static readonly Dictionary<PetitionState, PetitionState[]> Allowed = new()
    {
        [PetitionState.Registered] =
        [
            PetitionState.Dispatched, PetitionState.Accepted, PetitionState.NotAccepted, PetitionState.NotReaccepted,
            PetitionState.Filed, PetitionState.RoutedToLegal,
        ],
        // The unit's 受理告知 decides whether to accept (§3), so it may also refuse, or route to legal channels;
        // or it objects that the case is not its own (back to Registered, within the objection window).
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
    /// Applies a transition: checks the rule, sets the dates the new state implies, appends the event (and, when leaving
    /// the open states clears a supervision level, a <see cref="PetitionEventKind.SupervisionChanged"/> event after it).
    /// Refused transitions throw <see cref="ActionRefusedException"/> before anything changes.
    /// </summary>
    public static PetitionEvent Transition(
        Petition petition, PetitionState to, DateOnly on, DateTime atUtc, string actor, string? note,
        DeadlineCalculator deadlines)
    {
        var from = petition.State;
        if (Refusal(from, to) is { } refusal) throw new ActionRefusedException(refusal);
        if (on < petition.ReceivedOn) throw new ActionRefusedException($"办理日期 {on:yyyy-MM-dd} 不能早于登记日期 {petition.ReceivedOn:yyyy-MM-dd}");
        // The state is the last transition event's; an earlier-dated step would make "last" ambiguous.
        if (petition.Events.Where(e => e.Kind == PetitionEventKind.Transition).Select(e => (DateOnly?)e.On).Max() is { } previous
            && on < previous)
            throw new ActionRefusedException($"办理日期 {on:yyyy-MM-dd} 不能早于上一环节的日期 {previous:yyyy-MM-dd}");
        if (from == PetitionState.Dispatched && to == PetitionState.Registered)
        {
            var window = deadlines.Objection(petition.DispatchedOn ?? petition.ReceivedOn);
            if (on > window.Due)
                throw new ActionRefusedException($"异议退回须在责任单位收到之日起{window.Limit}个工作日内提出（截至 {window.Due:yyyy-MM-dd}）");
        }

        // Work out the new dates and the new deadline first: computing a deadline can itself refuse (e.g. an extension
        // out of range), and a refused transition must leave the petition untouched.
        var next = new Dates(petition) { State = to };
        switch (to)
        {
            case PetitionState.Dispatched:
                next.DispatchedOn = on;
                next.FirstDecisionOn ??= on;
                break;
            case PetitionState.Registered:
                next.DispatchedOn = null;
                break;
            case PetitionState.Accepted:
                next.AcceptedOn = on;
                next.FirstDecisionOn ??= on;
                break;
            case PetitionState.Replied:
                next.RepliedOn = on;
                break;
            case PetitionState.UnderReview:
                next.ReviewAcceptedOn = on;
                break;
            case PetitionState.Reviewed:
                next.ReviewDecidedOn = on;
                break;
            case PetitionState.UnderRecheck:
                next.RecheckAcceptedOn = on;
                break;
            case PetitionState.NotAccepted or PetitionState.NotReaccepted or PetitionState.Filed or PetitionState.RoutedToLegal:
                next.FirstDecisionOn ??= on;
                break;
        }
        if (IsFinished(to)) next.FinishedOn = on;
        var due = deadlines.Current(next)?.Due;

        petition.State = to;
        petition.DispatchedOn = next.DispatchedOn;
        petition.FirstDecisionOn = next.FirstDecisionOn;
        petition.AcceptedOn = next.AcceptedOn;
        petition.RepliedOn = next.RepliedOn;
        petition.ReviewAcceptedOn = next.ReviewAcceptedOn;
        petition.ReviewDecidedOn = next.ReviewDecidedOn;
        petition.RecheckAcceptedOn = next.RecheckAcceptedOn;
        petition.FinishedOn = next.FinishedOn;
        petition.CurrentDueDate = due;

        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.Transition, On = on, AtUtc = atUtc, Actor = actor,
            FromState = from, ToState = to, Note = note,
        };
        petition.Events.Add(e);

        // Supervision is for open petitions only (§5); every level change is an event.
        if (!IsOpen(to) && (petition.Supervision != SupervisionLevel.None || petition.SupervisionRaisedByHand))
        {
            var old = petition.Supervision;
            petition.Supervision = SupervisionLevel.None;
            petition.SupervisionRaisedByHand = false;
            if (old != SupervisionLevel.None)
            {
                petition.Events.Add(new PetitionEvent
                {
                    PetitionId = petition.Id, Kind = PetitionEventKind.SupervisionChanged, On = on, AtUtc = atUtc, Actor = actor,
                    Detail = $"{old.ToChinese()} → {SupervisionLevel.None.ToChinese()}",
                    Note = $"信访事项已{to.ToChinese()}，督办自动解除",
                });
            }
        }
        return e;
    }

    /// <summary>
    /// 延期 (docs/rules.md §3): once, for a petition being handled (受理 / 办理中), not under 简易办理, 1–MaxExtensionDays days,
    /// with an approver and a reason. The reply deadline becomes accepted on + (60 + N), shifted once.
    /// </summary>
    /// <summary>
    /// The petitioner's window a replied or reviewed petition waits in (docs/rules.md §4): the 复查 request window after a
    /// reply, the 复核 request window after a review decision; null in any other state.
    /// </summary>
    public static Deadline? PetitionerWindow(Petition petition, DeadlineCalculator deadlines) => petition.State switch
    {
        PetitionState.Replied when petition.RepliedOn is { } replied => deadlines.ReviewRequest(replied),
        PetitionState.Reviewed when petition.ReviewDecidedOn is { } decided => deadlines.RecheckRequest(decided),
        _ => null,
    };

    /// <summary>
    /// "A replied petition becomes Closed when its 复查 window passes with no request" (§4), and a reviewed one when its 复核
    /// window passes: closed on the day after the window's last day, with a note that says why. Null while the window runs.
    /// </summary>
    public static PetitionEvent? CloseIfWindowLapsed(Petition petition, DateOnly today, DateTime atUtc, string actor, DeadlineCalculator deadlines)
    {
        if (PetitionerWindow(petition, deadlines) is not { } window || today <= window.Due) return null;
        var what = petition.State == PetitionState.Replied ? "复查" : "复核";
        return Transition(petition, PetitionState.Closed, window.Due.AddDays(1), atUtc, actor,
            $"{window.StepName}已于 {window.Due:yyyy-MM-dd} 届满，信访人未申请{what}，自动办结", deadlines);
    }

    public static PetitionEvent Extend(
        Petition petition, int days, string approver, string reason, DateOnly on, DateTime atUtc, string actor,
        DeadlineCalculator deadlines)
    {
        if (ExtensionRefusal(petition) is { } refusal) throw new ActionRefusedException(refusal);
        if (string.IsNullOrWhiteSpace(approver)) throw new ActionRefusedException("延期须经本机关、单位负责人批准：请填写批准人");
        if (string.IsNullOrWhiteSpace(reason)) throw new ActionRefusedException("延期须告知信访人延期理由：请填写延期理由");
        if (days < 1) throw new ActionRefusedException("延期天数须至少为1日");
        var before = ExtendedReply(petition, 0, deadlines).Due;
        var after = ExtendedReply(petition, days, deadlines).Due;

        petition.ExtensionDays = days;
        ClearPendingExtension(petition);
        petition.ExtensionApprover = approver.Trim();
        petition.ExtensionReason = reason.Trim();
        petition.CurrentDueDate = after;
        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.Extension, On = on, AtUtc = atUtc, Actor = actor,
            Detail = $"答复期限 {before:yyyy-MM-dd} → {after:yyyy-MM-dd}（延期{days}日，批准人：{petition.ExtensionApprover}）",
            Note = petition.ExtensionReason,
        };
        petition.Events.Add(e);
        return e;
    }

    /// <summary>Null when the petition may be extended now (state, once only, not 简易办理); otherwise the zh-CN rule.</summary>
    public static string? ExtensionRefusal(Petition petition)
    {
        if (petition.State is not (PetitionState.Accepted or PetitionState.InHandling))
            return $"只有受理或办理中的信访事项才能延期（当前：{petition.State.ToChinese()}）";
        if (petition.ExtensionDays > 0) return $"办理期限只能延长一次（已延期{petition.ExtensionDays}日）";
        if (petition.SimpleProcedure) return "简易办理的信访事项不得延期（信访工作条例：简易办理10个工作日内答复）";
        return null;
    }

    /// <summary>The reply deadline with an extension of <paramref name="days"/> (refuses an extension out of range).</summary>
    public static Deadline ExtendedReply(Petition petition, int days, DeadlineCalculator deadlines) =>
        deadlines.Reply(petition.AcceptedOn ?? petition.FirstDecisionOn ?? petition.ReceivedOn, days, petition.SimpleProcedure);

    /// <summary>
    /// 延期 asked for by someone who cannot approve it (docs/rules.md §3): the request waits, with its own event, until a
    /// Supervisor approves it (<see cref="Extend"/>) or refuses it (<see cref="RefuseExtension"/>). One pending at a time.
    /// </summary>
    public static PetitionEvent RequestExtension(
        Petition petition, int days, string reason, DateOnly on, DateTime atUtc, string actor, DeadlineCalculator deadlines)
    {
        if (ExtensionRefusal(petition) is { } refusal) throw new ActionRefusedException(refusal);
        if (petition.PendingExtensionDays is { } pending)
            throw new ActionRefusedException($"已有一项延期申请（{pending}日）等待督查审批，不能重复申请");
        if (string.IsNullOrWhiteSpace(reason)) throw new ActionRefusedException("延期须告知信访人延期理由：请填写延期理由");
        if (days < 1) throw new ActionRefusedException("延期天数须至少为1日");
        var after = ExtendedReply(petition, days, deadlines).Due;   // refuses more than MaxExtensionDays
        petition.PendingExtensionDays = days;
        petition.PendingExtensionReason = reason.Trim();
        petition.PendingExtensionRequestedBy = actor;
        petition.PendingExtensionRequestedOn = on;
        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.ExtensionRequested, On = on, AtUtc = atUtc, Actor = actor,
            Detail = $"申请延期{days}日，批准后答复期限为 {after:yyyy-MM-dd}，待督查审批", Note = petition.PendingExtensionReason,
        };
        petition.Events.Add(e);
        return e;
    }

    /// <summary>A Supervisor refuses a pending 延期 request; the reply deadline stays as it was.</summary>
    public static PetitionEvent RefuseExtension(Petition petition, string reason, DateOnly on, DateTime atUtc, string actor)
    {
        if (petition.PendingExtensionDays is not { } days) throw new ActionRefusedException("该信访件没有待审批的延期申请");
        if (string.IsNullOrWhiteSpace(reason)) throw new ActionRefusedException("不批准延期须说明理由");
        ClearPendingExtension(petition);
        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.ExtensionRefused, On = on, AtUtc = atUtc, Actor = actor,
            Detail = $"延期{days}日未获批准", Note = reason.Trim(),
        };
        petition.Events.Add(e);
        return e;
    }

    private static void ClearPendingExtension(Petition petition)
    {
        petition.PendingExtensionDays = null;
        petition.PendingExtensionReason = null;
        petition.PendingExtensionRequestedBy = null;
        petition.PendingExtensionRequestedOn = null;
    }

    /// <summary>
    /// The deadline a transition would start, worked out by <see cref="Transition"/> itself on a copy of the petition, so the
    /// page can show it before anything is saved; refuses exactly as the real transition would. Null: no deadline follows.
    /// </summary>
    public static Deadline? Preview(Petition petition, PetitionState to, DateOnly on, DeadlineCalculator deadlines)
    {
        var copy = new Petition
        {
            CaseNumber = petition.CaseNumber, Locality = petition.Locality, Category = petition.Category, Demand = petition.Demand,
            PetitionerNames = petition.PetitionerNames, State = petition.State, ReceivedOn = petition.ReceivedOn,
            DispatchedOn = petition.DispatchedOn, FirstDecisionOn = petition.FirstDecisionOn, AcceptedOn = petition.AcceptedOn,
            SimpleProcedure = petition.SimpleProcedure, ExtensionDays = petition.ExtensionDays, RepliedOn = petition.RepliedOn,
            ReviewAcceptedOn = petition.ReviewAcceptedOn, ReviewDecidedOn = petition.ReviewDecidedOn,
            RecheckAcceptedOn = petition.RecheckAcceptedOn, FinishedOn = petition.FinishedOn,
            Events = [.. petition.Events.Where(e => e.Kind == PetitionEventKind.Transition)],
        };
        Transition(copy, to, on, DateTime.UnixEpoch, "预览", null, deadlines);
        return deadlines.Current(copy);
    }

    /// <summary>
    /// 评价 (docs/rules.md §4): recorded at any time after the reply, as an attribute with its own event, not a state.
    /// A later evaluation replaces the earlier one; both stay in the history.
    /// </summary>
    public static PetitionEvent Evaluate(Petition petition, Evaluation evaluation, DateOnly on, DateTime atUtc, string actor, string? note)
    {
        if (petition.RepliedOn is not { } replied)
            throw new ActionRefusedException("只有已答复的信访事项才能评价（满意 / 基本满意 / 不满意）");
        if (on < replied) throw new ActionRefusedException($"评价日期 {on:yyyy-MM-dd} 不能早于答复日期 {replied:yyyy-MM-dd}");
        var old = petition.Evaluation;
        petition.Evaluation = evaluation;
        petition.EvaluatedOn = on;
        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.Evaluation, On = on, AtUtc = atUtc, Actor = actor,
            Detail = $"{(old is { } o ? o.ToChinese() : "未评价")} → {evaluation.ToChinese()}", Note = note,
        };
        petition.Events.Add(e);
        return e;
    }

    /// <summary>Registers a new petition: state Registered, its first event, its first-decision deadline.</summary>
    public static PetitionEvent Register(Petition petition, DateTime atUtc, string actor, DeadlineCalculator deadlines)
    {
        if (petition.Events.Any(e => e.Kind == PetitionEventKind.Transition))
            throw new ActionRefusedException($"信访事项 {petition.CaseNumber} 已经登记，不能重复登记");
        var due = deadlines.FirstDecision(petition.ReceivedOn).Due;
        petition.State = PetitionState.Registered;
        petition.RegisteredAtUtc = atUtc;
        petition.CurrentDueDate = due;
        var e = new PetitionEvent
        {
            PetitionId = petition.Id, Kind = PetitionEventKind.Transition, On = petition.ReceivedOn, AtUtc = atUtc,
            Actor = actor, FromState = null, ToState = PetitionState.Registered, Note = "登记",
        };
        petition.Events.Add(e);
        return e;
    }

    /// <summary>The dates of a petition as a transition would leave them, before they are written back.</summary>
    private sealed class Dates(Petition p) : IPetitionDates
    {
        public PetitionState State { get; set; } = p.State;
        public DateOnly ReceivedOn { get; } = p.ReceivedOn;
        public DateOnly? DispatchedOn { get; set; } = p.DispatchedOn;
        public DateOnly? FirstDecisionOn { get; set; } = p.FirstDecisionOn;
        public DateOnly? AcceptedOn { get; set; } = p.AcceptedOn;
        public bool SimpleProcedure { get; } = p.SimpleProcedure;
        public int ExtensionDays { get; } = p.ExtensionDays;
        public DateOnly? RepliedOn { get; set; } = p.RepliedOn;
        public DateOnly? ReviewAcceptedOn { get; set; } = p.ReviewAcceptedOn;
        public DateOnly? ReviewDecidedOn { get; set; } = p.ReviewDecidedOn;
        public DateOnly? RecheckAcceptedOn { get; set; } = p.RecheckAcceptedOn;
        public DateOnly? FinishedOn { get; set; } = p.FinishedOn;
    }
}
