namespace PetitionDashboard.Domain;

/// <summary>
/// A step a user records on a petition (docs/rules.md §4): each is a transition of <see cref="PetitionLifecycle"/>, or
/// one of its two attribute events (延期, 评价). 转送 and 交办 are both the transition to Dispatched; 交办 asks the unit
/// for a report of the result.
/// </summary>
public enum CaseStep
{
    Transfer = 1, Assign = 2, ObjectionReturn = 3, Accept = 4, NotAccept = 5, NotReaccept = 6, StartHandling = 7,
    Reply = 8, ReviewAccepted = 9, ReviewDecided = 10, RecheckAccepted = 11, Terminate = 12, Close = 13, File = 14,
    RouteToLegal = 15, Extend = 16, Evaluate = 17,
}

/// <summary>Which fields a step's form asks for.</summary>
[Flags]
public enum CaseStepFields
{
    Date = 1, Unit = 2, Reason = 4, NoticeDate = 8, ReplyResult = 16, Text = 32, Days = 64, Evaluation = 128, Note = 256,
}

public static class CaseSteps
{
    /// <summary>The state a transition step leads to; null for 延期 and 评价 (attributes, not states).</summary>
    public static PetitionState? Target(this CaseStep step) => step switch
    {
        CaseStep.Transfer or CaseStep.Assign => PetitionState.Dispatched,
        CaseStep.ObjectionReturn => PetitionState.Registered,
        CaseStep.Accept => PetitionState.Accepted,
        CaseStep.NotAccept => PetitionState.NotAccepted,
        CaseStep.NotReaccept => PetitionState.NotReaccepted,
        CaseStep.StartHandling => PetitionState.InHandling,
        CaseStep.Reply => PetitionState.Replied,
        CaseStep.ReviewAccepted => PetitionState.UnderReview,
        CaseStep.ReviewDecided => PetitionState.Reviewed,
        CaseStep.RecheckAccepted => PetitionState.UnderRecheck,
        CaseStep.Terminate => PetitionState.Terminated,
        CaseStep.Close => PetitionState.Closed,
        CaseStep.File => PetitionState.Filed,
        CaseStep.RouteToLegal => PetitionState.RoutedToLegal,
        _ => null,
    };

    public static string ToChinese(this CaseStep step) => step switch
    {
        CaseStep.Transfer => "转送",
        CaseStep.Assign => "交办",
        CaseStep.ObjectionReturn => "异议退回",
        CaseStep.Accept => "受理",
        CaseStep.NotAccept => "不予受理",
        CaseStep.NotReaccept => "不再受理",
        CaseStep.StartHandling => "开始办理",
        CaseStep.Reply => "答复",
        CaseStep.ReviewAccepted => "复查申请受理",
        CaseStep.ReviewDecided => "复查决定",
        CaseStep.RecheckAccepted => "复核申请受理",
        CaseStep.Terminate => "复核决定（终结）",
        CaseStep.Close => "办结",
        CaseStep.File => "存档备查",
        CaseStep.RouteToLegal => "导入法定途径",
        CaseStep.Extend => "延期",
        CaseStep.Evaluate => "评价",
        _ => step.ToString(),
    };

    public static CaseStepFields Fields(this CaseStep step) => step switch
    {
        CaseStep.Transfer or CaseStep.Assign => CaseStepFields.Date | CaseStepFields.Unit | CaseStepFields.Note,
        CaseStep.Accept or CaseStep.NotAccept or CaseStep.NotReaccept =>
            CaseStepFields.Date | CaseStepFields.Reason | CaseStepFields.NoticeDate,
        CaseStep.ObjectionReturn => CaseStepFields.Date | CaseStepFields.Reason,
        CaseStep.Reply => CaseStepFields.Date | CaseStepFields.ReplyResult | CaseStepFields.Text,
        CaseStep.Extend => CaseStepFields.Days | CaseStepFields.Reason,
        CaseStep.Evaluate => CaseStepFields.Date | CaseStepFields.Evaluation,
        _ => CaseStepFields.Date | CaseStepFields.Note,
    };

    /// <summary>Whether the reason is required (a refusal to accept must say why; 受理 need not).</summary>
    public static bool RequiresReason(this CaseStep step) =>
        step is CaseStep.NotAccept or CaseStep.NotReaccept or CaseStep.ObjectionReturn or CaseStep.Extend;

    /// <summary>
    /// The steps a petition allows now, in the lifecycle's order: the transitions <see cref="PetitionLifecycle.Next"/>
    /// offers, then 延期 when <see cref="PetitionLifecycle.ExtensionRefusal"/> allows it and none is pending, then 评价 once replied.
    /// </summary>
    public static IReadOnlyList<CaseStep> Available(Petition petition)
    {
        var steps = new List<CaseStep>();
        foreach (var to in PetitionLifecycle.Next(petition.State))
        {
            steps.AddRange(to switch
            {
                PetitionState.Dispatched => [CaseStep.Transfer, CaseStep.Assign],
                PetitionState.Registered => [CaseStep.ObjectionReturn],
                PetitionState.Accepted => [CaseStep.Accept],
                PetitionState.NotAccepted => [CaseStep.NotAccept],
                PetitionState.NotReaccepted => [CaseStep.NotReaccept],
                PetitionState.InHandling => [CaseStep.StartHandling],
                PetitionState.Replied => [CaseStep.Reply],
                PetitionState.UnderReview => [CaseStep.ReviewAccepted],
                PetitionState.Reviewed => [CaseStep.ReviewDecided],
                PetitionState.UnderRecheck => [CaseStep.RecheckAccepted],
                PetitionState.Terminated => [CaseStep.Terminate],
                PetitionState.Closed => [CaseStep.Close],
                PetitionState.Filed => [CaseStep.File],
                PetitionState.RoutedToLegal => [CaseStep.RouteToLegal],
                _ => Array.Empty<CaseStep>(),
            });
        }
        if (PetitionLifecycle.ExtensionRefusal(petition) is null && petition.PendingExtensionDays is null) steps.Add(CaseStep.Extend);
        if (petition.RepliedOn is not null) steps.Add(CaseStep.Evaluate);
        return steps;
    }
}
