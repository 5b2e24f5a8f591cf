using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Risk;

/// <summary>
/// One 初件 as the model sees it on a snapshot date: only what was known on that date (docs/rules.md §15). Text columns
/// are categorical; float columns numeric. The same row type trains, evaluates and scores.
/// </summary>
public sealed class RiskCase
{
    public string Category { get; set; } = "";
    public string Locality { get; set; } = "";
    public string Unit { get; set; } = "";
    public string Form { get; set; } = "";
    public string Purpose { get; set; } = "";
    public float People { get; set; }
    public float DaysSinceRegistration { get; set; }
    /// <summary>1 when the first decision (受理/转送/交办 …) had been made by the snapshot.</summary>
    public float FirstDecisionMade { get; set; }
    /// <summary>Days from registration to the first decision (to the snapshot while none was made).</summary>
    public float FirstDecisionDays { get; set; }
    /// <summary>Days the first decision was (or, while none is made, is) past its 15-day deadline; 0 when on time.</summary>
    public float FirstDecisionLateDays { get; set; }
    public float Extended { get; set; }
    /// <summary>Days the step the case waits on at the snapshot is past its deadline (0 when not overdue).</summary>
    public float OverdueDays { get; set; }
    /// <summary>督办 level the daily rule derives at the snapshot (0 none … 3 挂牌督办).</summary>
    public float Supervision { get; set; }
    /// <summary>催办 recorded up to the snapshot (reminders and 督办单).</summary>
    public float Reminders { get; set; }
    /// <summary>Other threads of the same petitioners registered before this one.</summary>
    public float EarlierThreads { get; set; }
    /// <summary>Share of repeats among the unit's petitions of the 90 days before the snapshot.</summary>
    public float UnitRepeatRate { get; set; }
    public string Demand { get; set; } = "";
    public bool Label { get; set; }
}

/// <summary>A snapshot row with where it came from.</summary>
public sealed record RiskSample(int PetitionId, DateOnly RegisteredOn, DateOnly SnapshotOn, RiskCase Case);

/// <summary>
/// The petitions of the database reduced to what the risk model needs, read once per training or scoring, and the
/// computation of a <see cref="RiskCase"/> for a 初件 on any snapshot date from them (nothing after that date is used).
/// </summary>
public sealed class RiskHistory
{
    /// <summary>The label's window: a repeat within this many days of registration (docs/rules.md §15).</summary>
    public const int HorizonDays = 90;

    /// <summary>Days after registration at which a training case is looked at (when still open and not yet repeated).</summary>
    public static readonly int[] SnapshotDays = [1, 15, 30, 60];

    internal sealed record FirstPetition(
        int Id, int ThreadId, DateOnly ReceivedOn, int UnitId, string Category, string Locality, PetitionForm Form,
        PetitionPurpose? Purpose, int PeopleCount, string Demand, DateOnly? FirstDecisionOn, DateOnly? DispatchedOn,
        DateOnly? AcceptedOn, DateOnly? RepliedOn, DateOnly? ReviewAcceptedOn, DateOnly? ReviewDecidedOn,
        DateOnly? RecheckAcceptedOn, DateOnly? FinishedOn, int ExtensionDays, bool SimpleProcedure, PetitionState State);

    private readonly DeadlineCalculator _deadlines;
    private readonly int _warnDays;
    private readonly int _listedAfterDays;
    private readonly Dictionary<int, string> _unitNames;
    internal IReadOnlyList<FirstPetition> Firsts { get; }
    /// <summary>Thread → the date of its first repeat (threads without one are absent).</summary>
    private readonly Dictionary<int, DateOnly> _firstRepeatOn;
    /// <summary>Petition → its petitioners' other threads, as (received on, thread) of each of their petitions.</summary>
    private readonly Dictionary<int, (DateOnly On, int ThreadId)[]> _petitionerHistory;
    private readonly Dictionary<int, DateOnly[]> _extensions;
    private readonly Dictionary<int, DateOnly[]> _reminders;
    /// <summary>Per unit: petitions and repeats per day number (prefix sums), for the unit's recent repeat rate.</summary>
    private readonly Dictionary<int, (int[] All, int[] Repeats)> _unitDaily;
    private readonly int _firstDay;

    private RiskHistory(DeadlineCalculator deadlines, int warnDays, int listedAfterDays, Dictionary<int, string> unitNames,
        List<FirstPetition> firsts, Dictionary<int, DateOnly> firstRepeatOn, Dictionary<int, (DateOnly, int)[]> petitionerHistory,
        Dictionary<int, DateOnly[]> extensions, Dictionary<int, DateOnly[]> reminders, Dictionary<int, (int[], int[])> unitDaily, int firstDay)
    {
        _deadlines = deadlines;
        _warnDays = warnDays;
        _listedAfterDays = listedAfterDays;
        _unitNames = unitNames;
        Firsts = firsts;
        _firstRepeatOn = firstRepeatOn;
        _petitionerHistory = petitionerHistory;
        _extensions = extensions;
        _reminders = reminders;
        _unitDaily = unitDaily;
        _firstDay = firstDay;
    }

    /// <summary>
    /// Reads the history. <paramref name="onlyFirsts"/> limits the 初件 read in full (scoring reads only the open ones);
    /// the light columns of every petition are always read (unit repeat rates, first repeats, earlier threads).
    /// </summary>
    public static async Task<RiskHistory> LoadAsync(
        AppDbContext db, DeadlineCalculator deadlines, int warnDays, int listedAfterDays, bool onlyOpenFirsts, CancellationToken ct)
    {
        var unitNames = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        var light = await db.Petitions.AsNoTracking()
            .Select(p => new { p.Id, p.ThreadId, p.IsRepeat, p.ReceivedOn, p.UnitId }).ToListAsync(ct);
        var firstsQuery = db.Petitions.AsNoTracking().Where(p => !p.IsRepeat);
        if (onlyOpenFirsts) firstsQuery = firstsQuery.Where(Backlog.BacklogQuery.IsOpen);
        var firsts = await firstsQuery
            .Select(p => new FirstPetition(p.Id, p.ThreadId, p.ReceivedOn, p.UnitId, p.Category, p.Locality, p.Form, p.Purpose,
                p.PeopleCount, p.Demand, p.FirstDecisionOn, p.DispatchedOn, p.AcceptedOn, p.RepliedOn, p.ReviewAcceptedOn,
                p.ReviewDecidedOn, p.RecheckAcceptedOn, p.FinishedOn, p.ExtensionDays, p.SimpleProcedure, p.State))
            .ToListAsync(ct);
        var firstIds = firsts.Select(f => f.Id).ToHashSet();

        var firstRepeatOn = new Dictionary<int, DateOnly>();
        foreach (var p in light.Where(p => p.IsRepeat))
            if (!firstRepeatOn.TryGetValue(p.ThreadId, out var d) || p.ReceivedOn < d) firstRepeatOn[p.ThreadId] = p.ReceivedOn;

        // Each petitioner's petitions (date, thread); then per 初件 the union over its petitioners.
        var byId = light.ToDictionary(p => p.Id);
        var links = await db.PetitionPetitioners.AsNoTracking().Select(x => new { x.PetitionId, x.PetitionerId }).ToListAsync(ct);
        var perPerson = new Dictionary<int, List<(DateOnly, int)>>();
        foreach (var l in links)
        {
            if (!byId.TryGetValue(l.PetitionId, out var p)) continue;
            if (!perPerson.TryGetValue(l.PetitionerId, out var list)) perPerson[l.PetitionerId] = list = [];
            list.Add((p.ReceivedOn, p.ThreadId));
        }
        var petitionerHistory = new Dictionary<int, (DateOnly, int)[]>();
        foreach (var group in links.Where(l => firstIds.Contains(l.PetitionId)).GroupBy(l => l.PetitionId))
        {
            var all = group.SelectMany(l => perPerson.TryGetValue(l.PetitionerId, out var list) ? list : []).Distinct().ToArray();
            if (all.Length > 1) petitionerHistory[group.Key] = all;
        }

        var events = await db.PetitionEvents.AsNoTracking()
            .Where(e => e.Kind == PetitionEventKind.Extension || e.Kind == PetitionEventKind.Reminder)
            .Select(e => new { e.PetitionId, e.Kind, e.On }).ToListAsync(ct);
        var notices = await db.Set<NoticeReminder>().AsNoTracking().Select(n => new { n.PetitionId, n.WeekMonday }).ToListAsync(ct);
        var extensions = events.Where(e => e.Kind == PetitionEventKind.Extension && firstIds.Contains(e.PetitionId))
            .GroupBy(e => e.PetitionId).ToDictionary(g => g.Key, g => g.Select(e => e.On).Order().ToArray());
        var reminders = events.Where(e => e.Kind == PetitionEventKind.Reminder).Select(e => (e.PetitionId, e.On))
            .Concat(notices.Select(n => (n.PetitionId, On: n.WeekMonday)))
            .Where(e => firstIds.Contains(e.PetitionId))
            .GroupBy(e => e.PetitionId).ToDictionary(g => g.Key, g => g.Select(e => e.On).Order().ToArray());

        var firstDay = light.Count == 0 ? 0 : light.Min(p => p.ReceivedOn.DayNumber);
        var days = light.Count == 0 ? 1 : light.Max(p => p.ReceivedOn.DayNumber) - firstDay + 2;
        var unitDaily = new Dictionary<int, (int[], int[])>();
        foreach (var p in light)
        {
            if (!unitDaily.TryGetValue(p.UnitId, out var arrays)) unitDaily[p.UnitId] = arrays = (new int[days + 1], new int[days + 1]);
            var i = p.ReceivedOn.DayNumber - firstDay + 1;
            arrays.Item1[i]++;
            if (p.IsRepeat) arrays.Item2[i]++;
        }
        foreach (var (all, repeats) in unitDaily.Values)
            for (var i = 1; i < all.Length; i++)
            {
                all[i] += all[i - 1];
                repeats[i] += repeats[i - 1];
            }
        return new RiskHistory(deadlines, warnDays, listedAfterDays, unitNames, firsts, firstRepeatOn, petitionerHistory,
            extensions, reminders, unitDaily, firstDay);
    }

    /// <summary>The thread's first repeat came on or before <paramref name="day"/>.</summary>
    internal bool RepeatedBy(FirstPetition p, DateOnly day) => _firstRepeatOn.TryGetValue(p.ThreadId, out var on) && on <= day;

    /// <summary>The label: a repeat in the thread within <see cref="HorizonDays"/> days of registration.</summary>
    internal bool RepeatedWithinHorizon(FirstPetition p) => RepeatedBy(p, p.ReceivedOn.AddDays(HorizonDays));

    internal string UnitName(int unitId) => _unitNames.GetValueOrDefault(unitId, "");

    /// <summary>
    /// The training and evaluation rows of the 初件 registered in [from, to): one per snapshot day at which the case was
    /// open and not yet repeated, labelled with a repeat after the snapshot and within the horizon.
    /// </summary>
    internal List<RiskSample> Samples(DateOnly from, DateOnly to)
    {
        var samples = new List<RiskSample>();
        foreach (var p in Firsts)
        {
            if (p.ReceivedOn < from || p.ReceivedOn >= to) continue;
            var label = RepeatedWithinHorizon(p);
            foreach (var d in SnapshotDays)
            {
                var on = p.ReceivedOn.AddDays(d);
                if (RepeatedBy(p, on) || !OpenOn(p, on)) continue;
                var c = CaseOn(p, on);
                c.Label = label;
                samples.Add(new RiskSample(p.Id, p.ReceivedOn, on, c));
            }
        }
        return samples;
    }

    /// <summary>The open 初件 to score on <paramref name="today"/>: not yet repeated and inside the horizon.</summary>
    internal List<RiskSample> Current(DateOnly today) =>
        Firsts.Where(p => PetitionLifecycle.IsOpen(p.State) && !RepeatedBy(p, today)
                          && today.DayNumber - p.ReceivedOn.DayNumber < HorizonDays && p.ReceivedOn <= today)
            .Select(p => new RiskSample(p.Id, p.ReceivedOn, today, CaseOn(p, today)))
            .ToList();

    /// <summary>
    /// The 初件 <see cref="Current"/> would score on <paramref name="today"/> that have no score yet, as one query: the
    /// check every few minutes asks this instead of reading the history (every petition's light columns: ≈ 14 s at
    /// 1,000,000 petitions). The same conditions as <see cref="Current"/> — open, not repeated by today, inside the
    /// horizon. Without "not repeated" an open 初件 whose thread repeated before it was scored (scoring leaves it out)
    /// kept the check true forever, and the history was read every five minutes to score nothing.
    /// </summary>
    internal static IQueryable<Petition> Unscored(AppDbContext db, DateOnly today)
    {
        var since = today.AddDays(-HorizonDays);
        return db.Petitions.AsNoTracking().Where(Backlog.BacklogQuery.IsOpen)
            // The score first, as a NOT EXISTS before the thread's: SQLite tests both per row in this order, and most
            // are scored (a LEFT JOIN for the score was tested after the thread's search: 0.7–1.8 s at 1M against 0.17–0.23).
            .Where(p => !p.IsRepeat && p.ReceivedOn > since && p.ReceivedOn <= today
                        && !db.RiskScores.Any(s => s.PetitionId == p.Id)
                        && !db.Petitions.Any(r => r.ThreadId == p.ThreadId && r.IsRepeat && r.ReceivedOn <= today));
    }

    /// <summary>Open (在办) on the day, from the dates the petition carries (docs/rules.md §4).</summary>
    internal static bool OpenOn(FirstPetition p, DateOnly day)
    {
        if (p.FinishedOn <= day) return false;
        if (p.RecheckAcceptedOn <= day) return true;
        if (p.ReviewDecidedOn <= day) return false;
        if (p.ReviewAcceptedOn <= day) return true;
        return !(p.RepliedOn <= day);
    }

    /// <summary>The features of a 初件 as known on <paramref name="on"/>.</summary>
    internal RiskCase CaseOn(FirstPetition p, DateOnly on)
    {
        var firstDue = _deadlines.FirstDecision(p.ReceivedOn).Due;
        var decided = p.FirstDecisionOn <= on;
        var decisionDay = decided ? p.FirstDecisionOn!.Value : on;
        var extended = _extensions.TryGetValue(p.Id, out var ext) && ext[0] <= on;
        var due = DueOn(p, on, extended);
        var overdue = due is { } d ? Math.Max(0, on.DayNumber - d.DayNumber) : 0;
        var earlier = _petitionerHistory.TryGetValue(p.Id, out var history)
            ? history.Where(h => h.ThreadId != p.ThreadId && h.On < p.ReceivedOn).Select(h => h.ThreadId).Distinct().Count()
            : 0;
        return new RiskCase
        {
            Category = p.Category,
            Locality = p.Locality,
            Unit = UnitName(p.UnitId),
            Form = p.Form.ToChinese(),
            Purpose = p.Purpose?.ToChinese() ?? "",
            People = p.PeopleCount,
            DaysSinceRegistration = on.DayNumber - p.ReceivedOn.DayNumber,
            FirstDecisionMade = decided ? 1 : 0,
            FirstDecisionDays = decisionDay.DayNumber - p.ReceivedOn.DayNumber,
            FirstDecisionLateDays = Math.Max(0, decisionDay.DayNumber - firstDue.DayNumber),
            Extended = extended ? 1 : 0,
            OverdueDays = overdue,
            Supervision = (float)SupervisionRule.Derive(due is not null, due, on, false, _warnDays, _listedAfterDays),
            Reminders = _reminders.TryGetValue(p.Id, out var r) ? r.Count(x => x <= on) : 0,
            EarlierThreads = earlier,
            UnitRepeatRate = UnitRepeatRate(p.UnitId, on),
            Demand = p.Demand,
        };
    }

    /// <summary>The due date of the step an open petition waited on that day (docs/rules.md §4), or null.</summary>
    private DateOnly? DueOn(FirstPetition p, DateOnly on, bool extended)
    {
        if (!OpenOn(p, on)) return null;
        if (p.RecheckAcceptedOn <= on) return _deadlines.RecheckDecision(p.RecheckAcceptedOn!.Value).Due;
        if (p.ReviewAcceptedOn <= on) return _deadlines.ReviewDecision(p.ReviewAcceptedOn!.Value).Due;
        if (p.AcceptedOn <= on) return _deadlines.Reply(p.AcceptedOn!.Value, extended ? p.ExtensionDays : 0, p.SimpleProcedure).Due;
        if (p.DispatchedOn <= on && p.FirstDecisionOn <= on) return _deadlines.UnitAcceptance(p.DispatchedOn!.Value).Due;
        return _deadlines.FirstDecision(p.ReceivedOn).Due;
    }

    /// <summary>Repeats ÷ petitions of the unit received in the 90 days before <paramref name="on"/> (0 with none).</summary>
    private float UnitRepeatRate(int unitId, DateOnly on)
    {
        if (!_unitDaily.TryGetValue(unitId, out var arrays)) return 0;
        var (all, repeats) = arrays;
        int At(int[] a, DateOnly day) => a[Math.Clamp(day.DayNumber - _firstDay + 1, 0, a.Length - 1)];
        var end = on.AddDays(-1);
        var start = on.AddDays(-HorizonDays - 1);
        var n = At(all, end) - At(all, start);
        return n == 0 ? 0 : (float)(At(repeats, end) - At(repeats, start)) / n;
    }
}
