using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features;

/// <summary>
/// Hand-made petitions, threads, petitioners and 包案 for feature tests. Dates are relative to <see cref="Today"/>
/// unless given; transitions go through <see cref="PetitionLifecycle"/> with the shipped calendars, so events, dates and
/// stored due dates are what the app would have written.
/// <code>
/// var data = new TestData(new DateOnly(2026, 11, 23));
/// var county = data.Unit("城关区");
/// var first = data.Petition("XF-001").ReceivedDaysAgo(40).By("张三", "110101199003071234", "13812345678").InHandling(daysAgo: 35);
/// data.Petition("XF-002").RepeatOf(first).ReceivedDaysAgo(3);
/// data.Assign(first, data.Leader("李明", "副市长")).Progress(daysAgo: 2, "约谈信访人");
/// await data.SaveAsync(db);            // any IDbContextFactory&lt;AppDbContext&gt;, e.g. TestDatabase
/// </code>
/// </summary>
public sealed class TestData(DateOnly today, DeadlineCalculator? deadlines = null)
{
    private readonly List<Unit> _units = [];
    private readonly List<Leader> _leaders = [];
    private readonly List<PetitionBuilder> _petitions = [];
    private readonly List<AssignmentBuilder> _assignments = [];
    private readonly Dictionary<string, Petitioner> _people = [];
    private bool _saved;

    public DateOnly Today { get; } = today;

    public DeadlineCalculator Deadlines { get; } = deadlines ?? TestRules.Deadlines();

    /// <summary>A clock at 09:00 Shanghai on <see cref="Today"/>, for the services under test.</summary>
    public TestClock Clock() => TestClock.AtShanghai(Today.Year, Today.Month, Today.Day);

    public IReadOnlyList<PetitionBuilder> Petitions => _petitions;

    /// <summary>The unit new petitions are handled by unless they say otherwise (created on first use).</summary>
    public Unit DefaultUnit => _units.Count > 0 ? _units[0] : Unit("城关区");

    public Unit Unit(string name, UnitKind kind = UnitKind.County)
    {
        var existing = _units.FirstOrDefault(u => u.Name == name);
        if (existing is not null) return existing;
        var unit = new Unit { Name = name, Kind = kind };
        _units.Add(unit);
        return unit;
    }

    public Leader Leader(string name, string title = "副市长")
    {
        var leader = new Leader { Name = name, Title = title };
        _leaders.Add(leader);
        return leader;
    }

    /// <summary>
    /// A new registered petition by 张三 about 城乡建设, handled by <see cref="DefaultUnit"/>, received three days ago
    /// (or on its first step's date when that is earlier and no received date is given).
    /// </summary>
    public PetitionBuilder Petition(string caseNumber)
    {
        var p = new PetitionBuilder(this, caseNumber);
        _petitions.Add(p);
        return p;
    }

    /// <summary>A 包案 of the petition's thread, Active, assigned on the petition's received date with the default 90-day limit.</summary>
    public AssignmentBuilder Assign(PetitionBuilder onThreadOf, Leader leader)
    {
        var a = new AssignmentBuilder(this, onThreadOf, leader);
        _assignments.Add(a);
        return a;
    }

    /// <summary>Writes everything (call once); afterwards each builder's <c>Entity</c> carries its database id.</summary>
    public async Task SaveAsync(IDbContextFactory<AppDbContext> factory, CancellationToken ct = default)
    {
        if (_saved) throw new InvalidOperationException("TestData.SaveAsync 只能调用一次：先描述全部数据，再保存");
        _saved = true;
        await using var db = await factory.CreateDbContextAsync(ct);
        db.Units.AddRange(_units);
        db.Leaders.AddRange(_leaders);

        // A batch number names a real 集中交办 batch (a foreign key), handed down on its first thread's received date.
        foreach (var g in _petitions.Where(b => b.BatchId is not null).GroupBy(b => b.BatchId!.Value))
        {
            var on = g.Min(b => b.Received);
            db.AssignmentBatches.Add(new AssignmentBatch
            {
                Id = g.Key, Name = $"第{g.Key}批集中交办", CreatedOn = on, CreatedAtUtc = BusinessTime.StartOfDayUtc(on), CreatedBy = "值班员",
            });
        }

        var threads = new Dictionary<PetitionBuilder, PetitionThread>();
        foreach (var b in _petitions)
        {
            var root = b.Root;
            if (!threads.TryGetValue(root, out var thread))
            {
                thread = new PetitionThread { BacklogBatchId = root.BatchId };
                threads[root] = thread;
            }
            var p = b.Build();
            p.Thread = thread;
            thread.Petitions.Add(p);
            foreach (var who in b.Petitioners)
            {
                var key = who.IdNumber is { Length: > 0 } id ? $"ID:{id}" : $"NP:{who.Name}|{who.Phone}";
                if (!_people.TryGetValue(key, out var person))
                {
                    // Stored as the app stores people: numbers encrypted, identity key hashed (the test run's key ring).
                    person = TestPersonalData.Protector.NewPetitioner(who.Name, who.IdNumber, who.Phone, who.Address, key);
                    _people[key] = person;
                }
                p.Petitioners.Add(new PetitionPetitioner { Petition = p, Petitioner = person });
            }
            db.Petitions.Add(p);
        }
        foreach (var thread in threads.Values)
        {
            var all = thread.Petitions;
            thread.PetitionCount = all.Count;
            thread.FirstReceivedOn = all.Min(x => x.ReceivedOn);
            thread.LastReceivedOn = all.Max(x => x.ReceivedOn);
        }
        foreach (var a in _assignments) db.LeaderAssignments.Add(a.Build(threads));
        await db.SaveChangesAsync(ct);

        foreach (var thread in threads.Values)
            thread.FirstPetitionId = thread.Petitions.OrderBy(x => x.ReceivedOn).ThenBy(x => x.Id).First().Id;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// A realistic mix for demos and screenshots: <paramref name="count"/> petitions over the last two years, most of them
    /// finished, the open ones spread over every deadline status and age bucket, with repeats and a few 包案.
    /// Deterministic for a given seed.
    /// </summary>
    public static TestData Sample(DateOnly today, int count, int seed = 20261123)
    {
        var data = new TestData(today);
        var rnd = new Random(seed);
        string[] counties = ["城关区", "东湖区", "西山县", "南河县", "北岭县", "临江市"];
        string[] departments = ["市住建局", "市人社局", "市自然资源局", "市卫健委", "市教育局", "市市场监管局"];
        var units = counties.Select(n => data.Unit(n)).Concat(departments.Select(n => data.Unit(n, UnitKind.CityDepartment))).ToArray();
        Leader[] leaders =
        [
            data.Leader("王建国", "市委副书记"), data.Leader("李秀英", "副市长"), data.Leader("陈志强", "市信访局局长"),
            data.Leader("赵丽华", "市信访局副局长"),
        ];
        string[] surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"];
        string[] given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超"];
        (string Category, string Demand)[] matters =
        [
            ("城乡建设", "反映小区配套设施长期未完善，要求开发商履行承诺"),
            ("住房保障与房地产", "反映购买的商品房逾期交付，要求依法维权"),
            ("劳动和社会保障", "反映用人单位拖欠工资，要求协调解决欠薪问题"),
            ("自然资源", "反映征地补偿标准偏低，要求重新核定补偿款"),
            ("农村农业", "反映土地承包经营权纠纷，要求村委会依法处理"),
            ("卫生健康", "反映医疗纠纷处理不公，要求重新鉴定"),
            ("教育", "反映子女入学划片不合理，要求调整学区"),
            ("生态环境", "反映企业夜间排放异味，要求环保部门查处"),
            ("市场监管", "反映商家虚假宣传，要求退款并查处"),
            ("交通运输", "反映道路施工长期未完工影响出行"),
        ];
        var forms = Enum.GetValues<PetitionForm>();
        var threads = new List<PetitionBuilder>();
        for (var i = 1; i <= count; i++)
        {
            var age = rnd.Next(0, 700);
            var (category, demand) = matters[rnd.Next(matters.Length)];
            var name = surnames[rnd.Next(surnames.Length)] + given[rnd.Next(given.Length)];
            var received = today.AddDays(-age);
            var b = data.Petition($"XF{received:yyyyMMdd}{i:D4}").ReceivedOn(received).Form(forms[rnd.Next(forms.Length)]);
            var earlier = threads.Where(t => t.Received < received).ToList();
            if (earlier.Count > 5 && rnd.NextDouble() < 0.15)
            {
                b.RepeatOf(earlier[rnd.Next(earlier.Count)]);   // same person, same matter, same unit
            }
            else
            {
                b.About(category, counties[rnd.Next(counties.Length)]).Demand(demand).HandledBy(units[rnd.Next(units.Length)])
                    .By(name, FakeIdNumber(rnd, received), $"13{rnd.Next(100000000, 999999999)}");
                threads.Add(b);
            }

            // Older petitions are mostly finished; recent ones are mostly open, at every step.
            var finishChance = age < 30 ? 0.05 : age < 90 ? 0.5 : age < 180 ? 0.85 : 0.96;
            var step = rnd.NextDouble();
            if (rnd.NextDouble() < finishChance)
            {
                var accepted = received.AddDays(rnd.Next(1, 10));
                var replied = accepted.AddDays(rnd.Next(10, 70));
                if (replied > today) replied = today;
                if (accepted > replied) accepted = replied;
                b.InHandling(accepted).Replied(replied).Closed(Min(replied.AddDays(rnd.Next(0, 31)), today));
            }
            else if (step >= 0.4) b.InHandling(Min(received.AddDays(rnd.Next(1, 14)), today));
            else if (step >= 0.25) b.Dispatched(Min(received.AddDays(rnd.Next(1, 10)), today));
            // else: still registered, waiting for its first decision

            // Supervision as the daily recompute would set it, with some overdue cases listed by hand.
            var entity = b.Build();
            if (entity.CurrentDueDate is { } due)
            {
                entity.Supervision = DeadlineStatusRule.DaysOverdue(due, today) > 0 && rnd.NextDouble() < 0.2
                    ? SupervisionLevel.Listed
                    : SupervisionRule.Derive(true, due, today, false, data.Deadlines.Options.WarnDays, 30);
            }
        }
        var open = data._petitions.Where(p => p.Build().CurrentDueDate is not null).Select(p => p.Root).Distinct().ToList();
        for (var i = 0; i < Math.Min(open.Count, Math.Max(count / 25, 1)); i++)
        {
            var thread = open[rnd.Next(open.Count)];
            if (data._assignments.Any(a => a.Thread == thread)) continue;
            var assignedOn = Min(thread.Received.AddDays(rnd.Next(1, 20)), today);
            if (assignedOn < today.AddDays(-100)) assignedOn = today.AddDays(-rnd.Next(5, 100));   // recent 包案, mostly within their 90 days
            var a = data.Assign(thread, leaders[rnd.Next(leaders.Length)]).AssignedOn(assignedOn);
            // Some resolved and reopened by a repeat, as the product records a relapse; the rest in force.
            if (rnd.NextDouble() < 0.15) a.Relapsed(Min(assignedOn.AddDays(1), today), today);
            a.Progress(Min(assignedOn.AddDays(rnd.Next(1, 10)), today), "包案领导约谈信访人，制定化解方案", "市信访局");
            if (rnd.NextDouble() < 0.5) a.Progress(today.AddDays(-rnd.Next(0, 5)), "牵头单位召开协调会，推进化解", "牵头单位");
        }
        return data;

        static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;
    }

    /// <summary>The 诉求摘要 of a petition that does not say otherwise.</summary>
    public const string DefaultDemand = "反映小区配套设施长期未完善，要求开发商履行承诺";

    /// <summary>
    /// One petition row exactly as given — state and dates set directly, no lifecycle events — for a test that adds rows to
    /// a database it seeded itself (units and threads by id) or needs a stored shape the lifecycle would not write (a state
    /// without its history, a number in a foreign format, a duplicate key). Set further dates on the result. Without a
    /// thread it gets a thread of its own; what is not given is what <see cref="Petition(string)"/> would use.
    /// </summary>
    public static Petition PetitionRow(
        string caseNumber, DateOnly receivedOn, PetitionState state = PetitionState.Registered,
        Unit? unit = null, int? unitId = null, PetitionThread? thread = null, int? threadId = null,
        PetitionForm form = PetitionForm.Letter, string locality = "城关区", string category = "城乡建设",
        string demand = DefaultDemand, string petitionerNames = "张三", bool isRepeat = false)
    {
        var p = new Petition
        {
            CaseNumber = caseNumber, Form = form, Locality = locality, Category = category, Demand = demand,
            PetitionerNames = petitionerNames, ReceivedOn = receivedOn, RegisteredAtUtc = BusinessTime.StartOfDayUtc(receivedOn),
            State = state, IsRepeat = isRepeat,
        };
        if (unit is not null) p.Unit = unit;
        if (unitId is { } u) p.UnitId = u;
        if (threadId is { } t) p.ThreadId = t;
        else p.Thread = thread ?? new PetitionThread { PetitionCount = 1, FirstReceivedOn = receivedOn, LastReceivedOn = receivedOn };
        return p;
    }

    /// <summary>An 18-digit 身份证号 with a valid GB 11643 check digit.</summary>
    public static string FakeIdNumber(Random rnd, DateOnly around)
    {
        var birth = new DateOnly(1950 + rnd.Next(0, 50), rnd.Next(1, 13), rnd.Next(1, 29));
        var body = $"3601{rnd.Next(1, 30):D2}{birth:yyyyMMdd}{rnd.Next(0, 1000):D3}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((ch, i) => (ch - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}

/// <summary>One hand-made petition. Every method returns the builder; transitions are applied in the order called.</summary>
public sealed class PetitionBuilder
{
    private readonly TestData _data;
    private readonly List<(PetitionState To, DateOnly On)> _steps = [];
    private Petition? _built;
    private DateOnly? _dueOverride;
    private bool _dueCleared;
    private bool _receivedSet;

    internal PetitionBuilder(TestData data, string caseNumber)
    {
        _data = data;
        CaseNumber = caseNumber;
        Received = data.Today.AddDays(-3);
    }

    public string CaseNumber { get; }
    public DateOnly Received { get; private set; }
    public PetitionBuilder? First { get; private set; }
    internal int? BatchId { get; private set; }
    internal List<(string Name, string? IdNumber, string? Phone, string? Address)> Petitioners { get; } = [];

    /// <summary>The 初件 of this petition's thread (itself when it is not a repeat).</summary>
    public PetitionBuilder Root => First?.Root ?? this;

    /// <summary>The entity as saved (null before <see cref="TestData.SaveAsync"/>).</summary>
    public Petition? Entity { get; private set; }

    private PetitionForm _form = PetitionForm.Letter;
    private PetitionPurpose? _purpose = PetitionPurpose.Request;
    // Null = not given: a repeat takes its first petition's, others the defaults below.
    private string? _category;
    private string? _locality;
    private string? _demand;
    private Unit? _unit;
    private int _peopleCount = 1;
    private SupervisionLevel _supervision;
    private bool _raisedByHand;

    public PetitionBuilder ReceivedOn(DateOnly date) => Set(() => { Received = date; _receivedSet = true; });
    public PetitionBuilder ReceivedDaysAgo(int days) => ReceivedOn(_data.Today.AddDays(-days));
    public PetitionBuilder Form(PetitionForm form) => Set(() => _form = form);
    public PetitionBuilder Purpose(PetitionPurpose? purpose) => Set(() => _purpose = purpose);
    public PetitionBuilder Category(string category) => Set(() => _category = category);
    public PetitionBuilder Locality(string locality) => Set(() => _locality = locality);
    public PetitionBuilder About(string category, string locality) => Category(category).Locality(locality);
    public PetitionBuilder Demand(string demand) => Set(() => _demand = demand);
    public PetitionBuilder HandledBy(Unit unit) => Set(() => _unit = unit);
    public PetitionBuilder People(int count) => Set(() => _peopleCount = count);
    public PetitionBuilder InBacklogBatch(int batchId) => Set(() => BatchId = batchId);

    /// <summary>Adds a petitioner (call again for 联名件). Without one the petition is by 张三.</summary>
    public PetitionBuilder By(string name, string? idNumber = null, string? phone = null, string? address = null) =>
        Set(() => Petitioners.Add((name, idNumber, phone, address)));

    /// <summary>
    /// Makes this a 重件 on the thread of <paramref name="first"/>: same person, same matter (docs/rules.md §6). Petitioners,
    /// category, locality, demand and unit not given explicitly are taken from <paramref name="first"/>.
    /// </summary>
    public PetitionBuilder RepeatOf(PetitionBuilder first) => Set(() => First = first);

    public PetitionBuilder Dispatched(DateOnly on) => Step(PetitionState.Dispatched, on);
    public PetitionBuilder Accepted(DateOnly on) => Step(PetitionState.Accepted, on);
    /// <summary>Accepted and in handling on the same day.</summary>
    public PetitionBuilder InHandling(DateOnly acceptedOn) => Accepted(acceptedOn).Step(PetitionState.InHandling, acceptedOn);
    public PetitionBuilder InHandling(int daysAgo) => InHandling(_data.Today.AddDays(-daysAgo));
    public PetitionBuilder Replied(DateOnly on) => Step(PetitionState.Replied, on);
    public PetitionBuilder Closed(DateOnly on) => Step(PetitionState.Closed, on);
    /// <summary>Accepted, handled, replied and closed within a few days of receipt.</summary>
    public PetitionBuilder Finished() => InHandling(Received.AddDays(1)).Replied(Received.AddDays(2)).Closed(Received.AddDays(2));
    public PetitionBuilder Step(PetitionState to, DateOnly on) => Set(() => _steps.Add((to, on)));

    /// <summary>Overrides the stored current deadline (e.g. to sit exactly on a 临期 boundary).</summary>
    public PetitionBuilder DueOn(DateOnly due) => Set(() => _dueOverride = due);
    public PetitionBuilder DueInDays(int days) => DueOn(_data.Today.AddDays(days));
    public PetitionBuilder OverdueBy(int days) => DueOn(_data.Today.AddDays(-days));
    /// <summary>An open petition without a stored deadline (a data error the page must survive).</summary>
    public PetitionBuilder WithoutDueDate() => Set(() => _dueCleared = true);
    public PetitionBuilder Supervision(SupervisionLevel level, bool raisedByHand = false) =>
        Set(() => { _supervision = level; _raisedByHand = raisedByHand; });

    /// <summary>The entity this builder describes (built once; further changes after this are refused).</summary>
    internal Petition Build()
    {
        if (_built is not null) return _built;
        // Without an explicit received date, a petition is received on its first step's day at the latest.
        if (!_receivedSet && _steps.Count > 0 && _steps.Min(x => x.On) < Received) Received = _steps.Min(x => x.On);
        if (Petitioners.Count == 0)
        {
            if (First is { } f)
            {
                f.Build();
                Petitioners.AddRange(f.Petitioners);
            }
            else Petitioners.Add(("张三", null, null, null));
        }
        var names = Petitioners.Select(x => x.Name).ToList();
        var category = _category ?? First?.Build().Category ?? "城乡建设";
        var locality = _locality ?? First?.Build().Locality ?? "城关区";
        var demand = _demand ?? (First is { } first ? "再次反映：" + first.Build().Demand : TestData.DefaultDemand);
        var unit = _unit ?? First?.Build().Unit ?? _data.DefaultUnit;
        var p = TestData.PetitionRow(CaseNumber, Received, unit: unit, form: _form, locality: locality, category: category,
            demand: demand, petitionerNames: string.Join("、", names), isRepeat: First is not null);
        p.Purpose = _purpose;
        p.PeopleCount = Math.Max(_peopleCount, names.Count);
        var atUtc = BusinessTime.StartOfDayUtc(Received).AddHours(9);
        PetitionLifecycle.Register(p, atUtc, "登记员", _data.Deadlines);
        foreach (var (to, on) in _steps)
            PetitionLifecycle.Transition(p, to, on, BusinessTime.StartOfDayUtc(on).AddHours(10), "承办人", null, _data.Deadlines);
        if (_dueOverride is { } due && p.IsOpen) p.CurrentDueDate = due;
        if (_dueCleared) p.CurrentDueDate = null;
        if (p.IsOpen && _supervision != SupervisionLevel.None)
        {
            p.Supervision = _supervision;
            p.SupervisionRaisedByHand = _raisedByHand;
            p.Events.Add(new PetitionEvent
            {
                Kind = PetitionEventKind.SupervisionChanged, On = _data.Today, AtUtc = BusinessTime.StartOfDayUtc(_data.Today),
                Actor = "系统", Detail = $"无 → {_supervision.ToChinese()}",
            });
        }
        _built = p;
        Entity = p;
        return p;
    }

    private PetitionBuilder Set(Action change)
    {
        if (_built is not null) throw new InvalidOperationException($"信访件 {CaseNumber} 已生成，不能再修改");
        change();
        return this;
    }
}

/// <summary>One hand-made 领导包案 on a petition's thread.</summary>
public sealed class AssignmentBuilder
{
    private readonly TestData _data;
    private readonly Leader _leader;
    private readonly List<AssignmentProgress> _progress = [];
    private AssignmentStatus _status = AssignmentStatus.Active;
    private DateOnly? _assignedOn;
    private DateOnly? _dueOn;
    private int _extension;
    private Unit? _leadUnit;
    private string _plan = "包案领导牵头，责任单位限期化解";
    private string _responsible = "刘洋";
    private DateOnly? _resolvedOn;

    internal AssignmentBuilder(TestData data, PetitionBuilder onThreadOf, Leader leader)
    {
        _data = data;
        Thread = onThreadOf.Root;
        _leader = leader;
    }

    /// <summary>The 初件 of the thread this 包案 is on.</summary>
    public PetitionBuilder Thread { get; }

    public LeaderAssignment? Entity { get; private set; }

    public AssignmentBuilder Status(AssignmentStatus status) { _status = status; return this; }
    public AssignmentBuilder AssignedOn(DateOnly on) { _assignedOn = on; return this; }
    public AssignmentBuilder DueOn(DateOnly due) { _dueOn = due; return this; }
    public AssignmentBuilder Extended(int days) { _extension = days; return this; }
    public AssignmentBuilder LeadUnit(Unit unit) { _leadUnit = unit; return this; }
    public AssignmentBuilder Plan(string plan) { _plan = plan; return this; }
    public AssignmentBuilder Responsible(string person) { _responsible = person; return this; }
    public AssignmentBuilder Resolved(DateOnly on) { _status = AssignmentStatus.Resolved; _resolvedOn = on; return this; }

    /// <summary>
    /// 反弹: resolved on <paramref name="resolvedOn"/>, then reopened by a repeat on <paramref name="relapsedOn"/> — through
    /// <see cref="AssignmentLifecycle.Relapse"/>, so the stored row is whatever the product makes of a relapse.
    /// </summary>
    public AssignmentBuilder Relapsed(DateOnly resolvedOn, DateOnly relapsedOn)
    {
        Resolved(resolvedOn);
        _relapsedOn = relapsedOn;
        return this;
    }

    private DateOnly? _relapsedOn;
    public AssignmentBuilder Progress(DateOnly on, string action, string actor = "牵头单位")
    {
        _progress.Add(new AssignmentProgress { On = on, Action = action, Actor = actor });
        return this;
    }
    public AssignmentBuilder Progress(int daysAgo, string action, string actor = "牵头单位") => Progress(_data.Today.AddDays(-daysAgo), action, actor);

    internal LeaderAssignment Build(IReadOnlyDictionary<PetitionBuilder, PetitionThread> threads)
    {
        var first = Thread.Build();
        var assigned = _assignedOn ?? first.ReceivedOn;
        Entity = new LeaderAssignment
        {
            Thread = threads.TryGetValue(Thread, out var t) ? t : first.Thread,
            Leader = _leader,
            LeadUnit = _leadUnit ?? first.Unit,
            ResponsiblePerson = _responsible,
            Plan = _plan,
            AssignedOn = assigned,
            DueOn = _dueOn ?? _data.Deadlines.Assignment(assigned, _extension).Due,
            ExtensionDays = _extension,
            Status = _resolvedOn is null ? _status : AssignmentStatus.Active,
            Progress = _progress,
        };
        // Resolved and relapsed the way the product does it, dated resolution rows included (docs/rules.md §8).
        if (_resolvedOn is { } resolvedOn) AssignmentLifecycle.Resolve(Entity, "息诉罢访", resolvedOn, "督查", []);
        if (_relapsedOn is { } relapsedOn) AssignmentLifecycle.Relapse(Entity, relapsedOn);
        return Entity;
    }
}
