using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Repeats;

/// <summary>One member of a thread as the 初件/重件 rule sees it (the bulk join keeps these in memory).</summary>
internal sealed record ThreadMember(int PetitionId, DateOnly ReceivedOn, bool IsRepeat, string CaseNumber);

/// <summary>A thread's figures as the rule makes them from its members: what ThreadLinkingService writes on the thread row.</summary>
internal readonly record struct ThreadFigures(int PetitionCount, int? FirstPetitionId, DateOnly FirstReceivedOn, DateOnly LastReceivedOn)
{
    public static ThreadFigures Of(PetitionThread t) => new(t.PetitionCount, t.FirstPetitionId, t.FirstReceivedOn, t.LastReceivedOn);
}

/// <summary>
/// The 初件/重件 rule of docs/rules.md §6, in one place for the single-row path (ThreadLinkingService, over tracked
/// petitions) and the import's bulk join (over <see cref="ThreadMember"/>s in memory): the members in order of receipt, then
/// id; the first is the 初件, every other one a 重件; the thread counts them and carries the first's and the last's dates.
/// </summary>
internal static class ThreadMembership
{
    public static List<T> InOrder<T>(IEnumerable<T> members, Func<T, DateOnly> receivedOn, Func<T, int> id) =>
        [.. members.OrderBy(receivedOn).ThenBy(id)];

    /// <summary>The flag the member at <paramref name="index"/> of <see cref="InOrder{T}"/> must carry.</summary>
    public static bool IsRepeatAt(int index) => index > 0;

    /// <summary>
    /// The thread's figures after the rule; an empty thread keeps its dates (nothing to take them from) and loses its first.
    /// </summary>
    public static ThreadFigures Figures<T>(ThreadFigures before, IReadOnlyList<T> ordered, Func<T, DateOnly> receivedOn, Func<T, int> id) =>
        ordered.Count == 0
            ? before with { PetitionCount = 0, FirstPetitionId = null }
            : new ThreadFigures(ordered.Count, id(ordered[0]), receivedOn(ordered[0]), receivedOn(ordered[^1]));

    public static void Apply(PetitionThread thread, ThreadFigures figures)
    {
        thread.PetitionCount = figures.PetitionCount;
        thread.FirstPetitionId = figures.FirstPetitionId;
        thread.FirstReceivedOn = figures.FirstReceivedOn;
        thread.LastReceivedOn = figures.LastReceivedOn;
    }

    /// <summary>
    /// A new petition (received <paramref name="receivedOn"/>, its id above every member's: keys are handed out in order)
    /// joining a thread whose members are known: its figures afterwards, when the petition becomes a 重件 and no member's
    /// flag changes — the usual join, which needs nothing but inserts and the thread's figures. Null when the join moves the
    /// 初件 or corrects a member's flag: that goes through ThreadLinkingService on tracked rows (events, dated history).
    /// </summary>
    public static ThreadFigures? AppendedRepeat(ThreadFigures before, IReadOnlyList<ThreadMember> members, DateOnly receivedOn)
    {
        if (members.Count == 0) return null;
        var joined = new ThreadMember(int.MaxValue, receivedOn, true, "");
        var ordered = InOrder(members.Append(joined), m => m.ReceivedOn, m => m.PetitionId);
        for (var i = 0; i < ordered.Count; i++)
            if (ordered[i].IsRepeat != IsRepeatAt(i)) return null;
        return Figures(before, ordered, m => m.ReceivedOn, m => m.PetitionId);
    }
}
