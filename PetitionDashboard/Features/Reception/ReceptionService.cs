using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;

namespace PetitionDashboard.Features.Reception;

public sealed record ReceptionDayInput(DateOnly? On, HalfDay HalfDay, string? Place, int? LeaderId, string? Topic);

/// <summary>A booking: an existing person (<see cref="PetitionerId"/>) or a new one; an existing matter (<see cref="CaseNumber"/>) or a new one.</summary>
public sealed class BookingInput
{
    public int? PetitionerId { get; set; }
    public string? Name { get; set; }
    public string? IdNumber { get; set; }
    public string? Phone { get; set; }
    public int PeopleCount { get; set; } = 1;
    /// <summary>信访编号 of an existing petition (or of any petition of its thread: the thread's latest is taken).</summary>
    public string? CaseNumber { get; set; }
    public string? Locality { get; set; }
    public string? Category { get; set; }
    public string? Demand { get; set; }
    public int? UnitId { get; set; }
    public bool WalkIn { get; set; }
}

/// <summary>The reception record and the Leader's decision.</summary>
public sealed class ReceptionRecordInput
{
    public bool Attended { get; set; } = true;
    public string? Asked { get; set; }
    public int? MinutesSpent { get; set; }
    public ReceptionDecision? Decision { get; set; }
    /// <summary>交办: the unit; its deadline defaults to Reception:DispatchDays calendar days (§2 counting).</summary>
    public int? DispatchUnitId { get; set; }
    public DateOnly? DispatchDueOn { get; set; }
    /// <summary>转为包案: 责任人 and 化解方案 (prefilled by the page).</summary>
    public string? ResponsiblePerson { get; set; }
    public string? Plan { get; set; }
    /// <summary>A new matter's answer to repeat detection (§6), as on the registration form.</summary>
    public RepeatChoice RepeatChoice { get; set; }
    public int? RepeatOfPetitionId { get; set; }
    public string? LinkReason { get; set; }
}

public sealed record LeaderChoice(int Id, string Name, string Title);

public sealed record PetitionerChoice(int Id, string Name, string? MaskedIdNumber, string? MaskedPhone, IReadOnlyList<string> CaseNumbers);

public sealed record ReceptionDayRow(
    int Id, DateOnly On, HalfDay HalfDay, string Place, int LeaderId, string Leader, string LeaderTitle, string? Topic, int Capacity,
    int Booked, int Recorded);

public sealed record BookingView(
    int Id, int PetitionerId, string PetitionerName, string? MaskedIdNumber, int PeopleCount, string? CaseNumber, string? Locality,
    string? Category, string? Demand, int? UnitId, string? Unit, bool WalkIn, string BookedBy, bool? Attended, string? Asked, int? MinutesSpent,
    ReceptionDecision? Decision, string? DecisionUnit, DateOnly? DecisionDueOn, string? RecordedBy)
{
    public bool IsRecorded => Attended is not null;
    public bool IsNewMatter => CaseNumber is null;
}

public sealed record ReceptionDayView(ReceptionDayRow Day, IReadOnlyList<BookingView> Bookings, bool Today, bool Past);

public sealed record RecordOutcome(string? CaseNumber, string Message);

public sealed record VisitInput(int? LeaderId, string? Locality, DateOnly? On, string? Record, string? CaseNumbers);

public sealed record VisitRow(int Id, DateOnly On, string Leader, string Locality, string Record, IReadOnlyList<string> CaseNumbers);

/// <summary>下访 counted for a locality's units: visits and petitions handled on the spot.</summary>
public sealed record LocalityVisitCount(string Locality, int Visits, int Petitions);

/// <summary>
/// 领导接访 and 下访 (docs/rules.md §11). A new matter is registered through <see cref="RegistrationService"/> (form 来访,
/// received on the reception date, the same field rules and repeat detection); 交办 is the case's own 交办 step
/// (<see cref="CaseHandlingService"/>); 转为包案 goes through <see cref="AssignmentService"/> for the receiving Leader.
/// Each of those is its own transaction; the booking is linked to its petition as soon as it exists, so a retried record
/// never registers the matter twice; and the booking is claimed before the first of them
/// (<see cref="ReceptionBooking.RecordingSinceUtc"/>), so two officers recording it at once cannot both register it.
/// </summary>
public sealed class ReceptionService(
    IDbContextFactory<AppDbContext> dbs, AccessGuard guard, TimeProvider clock, DeadlineCalculator deadlines,
    IOptions<ReceptionOptions> options, PersonalDataProtector personalData,
    RegistrationService registration, CaseHandlingService handling, AssignmentService assignments)
{
    public DateOnly Today => clock.Today();
    public int Capacity => options.Value.Capacity;
    public int DispatchDays => options.Value.DispatchDays;

    public bool MayPublish => guard.Allows(Policies.CanPublishReceptions);
    public bool MayBook => guard.Allows(Policies.CanBookReceptions);
    public bool MayRecord => guard.Allows(Policies.CanRecordReceptions);

    /// <summary>The default 交办 deadline of a reception held on <paramref name="on"/>: calendar days, last day moved off a holiday (§2).</summary>
    public Deadline DispatchDeadline(DateOnly on) => deadlines.CalendarDays(DeadlineStep.UnitAcceptance, on, options.Value.DispatchDays);

    public async Task<IReadOnlyList<LeaderChoice>> LeadersAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewReceptions);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Leaders.AsNoTracking().OrderBy(l => l.Id).Select(l => new LeaderChoice(l.Id, l.Name, l.Title)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<Choice>> UnitsAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewReceptions);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await db.Units.AsNoTracking().OrderBy(u => u.Kind).ThenBy(u => u.Name).Select(u => new Choice(u.Id, u.Name)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<string>> LocalitiesAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewReceptions);
        await using var db = await dbs.CreateDbContextAsync(ct);
        return await RegistrationService.LocalityNames(db).ToListAsync(ct);
    }

    public Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken ct = default) => registration.CategoriesAsync(ct);

    // ---- 接访日 ---------------------------------------------------------------------------------------------------

    /// <summary>Publishes a reception day; refused on the day itself or later (at least the day before, §11).</summary>
    public async Task<int> PublishAsync(ReceptionDayInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanPublishReceptions);
        var today = clock.Today();
        var place = input.Place?.Trim() ?? "";
        var topic = string.IsNullOrWhiteSpace(input.Topic) ? null : input.Topic.Trim();
        var errors = new List<string>();
        if (input.On is not { } on) { errors.Add("接访日期：必填"); on = today; }
        else if (ReceptionRules.PublishRefusal(on, today) is { } late) errors.Add(late);
        if (!Enum.IsDefined(input.HalfDay)) errors.Add("时段：请选择上午或下午");
        if (place.Length == 0) errors.Add("接访地点：必填");
        else if (place.Length > ReceptionRules.MaxPlaceLength) errors.Add($"接访地点：不能超过 {ReceptionRules.MaxPlaceLength} 字");
        if (topic?.Length > ReceptionRules.MaxTopicLength) errors.Add($"接访主题：不能超过 {ReceptionRules.MaxTopicLength} 字");
        if (input.LeaderId is null) errors.Add("接访领导：必选");
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var leader = await db.Leaders.AsNoTracking().FirstOrDefaultAsync(l => l.Id == input.LeaderId, ct)
            ?? throw new ActionRefusedException("接访领导：所选领导不存在，请刷新后重选");
        if (await db.ReceptionDays.AnyAsync(d => d.LeaderId == leader.Id && d.On == on && d.HalfDay == input.HalfDay, ct))
            throw new ActionRefusedException($"接访领导：{leader.Name} 在 {on:yyyy-MM-dd}{input.HalfDay.ToChinese()} 已有接访安排");
        var day = new ReceptionDay
        {
            On = on, HalfDay = input.HalfDay, Place = place, LeaderId = leader.Id, Topic = topic, Capacity = options.Value.Capacity,
            PublishedAtUtc = clock.GetUtcNow().UtcDateTime, PublishedBy = guard.ActorName,
        };
        db.ReceptionDays.Add(day);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return day.Id;
    }

    /// <summary>The reception schedule between two dates (inclusive), earliest first.</summary>
    public async Task<IReadOnlyList<ReceptionDayRow>> ScheduleAsync(DateOnly from, DateOnly to, int? leaderId = null, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewReceptions);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.ReceptionDays.AsNoTracking().Where(d => d.On >= from && d.On <= to);
        if (leaderId is { } l) query = query.Where(d => d.LeaderId == l);
        return await Rows(query).ToListAsync(ct);
    }

    /// <summary>我的接访: the signed-in Leader's reception days, the coming ones first, then his history (newest first).</summary>
    public async Task<IReadOnlyList<ReceptionDayRow>> MineAsync(CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewOwnReceptions);
        var leaderId = guard.User.LeaderId
            ?? throw ActionRefusedException.NotAllowed("您的账号未关联局领导，无法查看“我的接访”。请联系系统管理员在用户管理中关联。");
        var today = clock.Today();
        await using var db = await dbs.CreateDbContextAsync(ct);
        var rows = await Rows(db.ReceptionDays.AsNoTracking().Where(d => d.LeaderId == leaderId)).ToListAsync(ct);
        return [.. rows.Where(r => r.On >= today).OrderBy(r => r.On).ThenBy(r => r.HalfDay)
            .Concat(rows.Where(r => r.On < today).OrderByDescending(r => r.On).ThenByDescending(r => r.HalfDay))];
    }

    private static IQueryable<ReceptionDayRow> Rows(IQueryable<ReceptionDay> days) =>
        days.OrderBy(d => d.On).ThenBy(d => d.HalfDay).ThenBy(d => d.Id)
            .Select(d => new ReceptionDayRow(d.Id, d.On, d.HalfDay, d.Place, d.LeaderId, d.Leader.Name, d.Leader.Title, d.Topic, d.Capacity,
                d.Bookings.Count, d.Bookings.Count(b => b.Attended != null)));

    /// <summary>One reception day with its bookings and their records (numbers masked).</summary>
    public async Task<ReceptionDayView?> DayAsync(int id, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewReceptions);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var day = await Rows(db.ReceptionDays.AsNoTracking().Where(d => d.Id == id)).FirstOrDefaultAsync(ct);
        if (day is null) return null;
        // A Leader reads his own reception days only; the duty officers and supervisors read all.
        if (!guard.Allows(Policies.CanBookReceptions) && !guard.Allows(Policies.CanManageLevels) && guard.User.LeaderId != day.LeaderId)
            throw ActionRefusedException.NotAllowed("只能查看本人的接访安排。");
        var bookings = await db.ReceptionBookings.AsNoTracking().Where(b => b.ReceptionDayId == id).OrderBy(b => b.Id)
            .Select(b => new
            {
                b.Id, b.PetitionerId, b.Petitioner.Name, b.Petitioner.IdNumber, b.PeopleCount,
                CaseNumber = db.Petitions.Where(p => p.Id == b.PetitionId).Select(p => p.CaseNumber).FirstOrDefault(),
                b.Locality, b.Category, b.Demand, b.UnitId, Unit = db.Units.Where(u => u.Id == b.UnitId).Select(u => u.Name).FirstOrDefault(),
                b.WalkIn, b.BookedBy, b.Attended, b.Asked, b.MinutesSpent, b.Decision,
                DecisionUnit = db.Units.Where(u => u.Id == b.DecisionUnitId).Select(u => u.Name).FirstOrDefault(), b.DecisionDueOn, b.RecordedBy,
            }).ToListAsync(ct);
        var today = clock.Today();
        return new ReceptionDayView(day, [.. bookings.Select(b => new BookingView(
            b.Id, b.PetitionerId, b.Name, personalData.MaskedIdNumber(b.IdNumber), b.PeopleCount, b.CaseNumber, b.Locality, b.Category, b.Demand,
            b.UnitId, b.Unit, b.WalkIn, b.BookedBy, b.Attended, b.Asked, b.MinutesSpent, b.Decision, b.DecisionUnit, b.DecisionDueOn, b.RecordedBy))],
            day.On == today, day.On < today);
    }

    /// <summary>One booking with its reception day (the record page).</summary>
    public async Task<(ReceptionDayView Day, BookingView Booking)?> BookingAsync(int bookingId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewReceptions);
        int dayId;
        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            var found = await db.ReceptionBookings.AsNoTracking().Where(b => b.Id == bookingId).Select(b => (int?)b.ReceptionDayId).FirstOrDefaultAsync(ct);
            if (found is null) return null;
            dayId = found.Value;
        }
        var day = await DayAsync(dayId, ct);
        return day is null ? null : (day, day.Bookings.Single(b => b.Id == bookingId));
    }

    // ---- 预约 -----------------------------------------------------------------------------------------------------

    /// <summary>
    /// Finds petitioners: a full 身份证号 through the keyed hash (never a scan of clear numbers), otherwise by exact name.
    /// Numbers come back masked.
    /// </summary>
    public async Task<IReadOnlyList<PetitionerChoice>> FindPetitionersAsync(string text, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanBookReceptions);
        var q = text?.Trim() ?? "";
        if (q.Length == 0) return [];
        await using var db = await dbs.CreateDbContextAsync(ct);
        IQueryable<Petitioner> found;
        if (ChineseIdNumber.IsValid(q))
        {
            var keys = personalData.LookupKeys([PetitionerIdentity.Key(null, q, null)!]);
            found = db.Petitioners.WithIdentityKeys(keys);
        }
        else found = db.Petitioners.Where(p => p.Name == q);
        var rows = await found.AsNoTracking().OrderBy(p => p.Id).Take(20)
            .Select(p => new
            {
                p.Id, p.Name, p.IdNumber, p.Phone,
                Cases = p.Petitions.OrderByDescending(x => x.Petition.ReceivedOn).Select(x => x.Petition.CaseNumber).Take(5).ToList(),
            }).ToListAsync(ct);
        return [.. rows.Select(r => new PetitionerChoice(r.Id, r.Name, personalData.MaskedIdNumber(r.IdNumber), personalData.MaskedPhone(r.Phone), r.Cases))];
    }

    /// <summary>Books a petitioner and his matter into a reception day (or adds a walk-in on the day), within its capacity.</summary>
    public async Task<int> BookAsync(int receptionDayId, BookingInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanBookReceptions);
        var today = clock.Today();
        var errors = new List<string>();
        var newPerson = input.PetitionerId is null;
        string? clearKey = null;
        if (newPerson)
        {
            if (PetitionFieldRules.PersonName(input.Name) is { } nameError) errors.Add($"信访人姓名：{nameError}");
            if (PetitionFieldRules.IdNumber(input.IdNumber) is { } idError) errors.Add($"身份证号：{idError}");
            if (PetitionFieldRules.Phone(input.Phone) is { } phoneError) errors.Add($"联系电话：{phoneError}");
            clearKey = PetitionerIdentity.Key(input.Name, input.IdNumber, input.Phone);
            if (clearKey is null && errors.Count == 0) errors.Add("信访人：身份证号或联系电话至少填一项（用于识别同一信访人和重复信访）");
        }
        if (input.PeopleCount < 1) errors.Add("人数：必须为不小于1的整数");
        var caseNumber = string.IsNullOrWhiteSpace(input.CaseNumber) ? null : input.CaseNumber.Trim();
        if (caseNumber is null)
        {
            if (string.IsNullOrWhiteSpace(input.Locality)) errors.Add("问题属地：新事项必填");
            if (string.IsNullOrWhiteSpace(input.Category)) errors.Add("内容分类：新事项必选");
            if (PetitionFieldRules.Demand(input.Demand) is { } demandError) errors.Add($"诉求摘要：{demandError}");
            if (input.UnitId is null) errors.Add("责任单位：新事项必选");
        }
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var day = await db.ReceptionDays.Include(d => d.Leader).FirstOrDefaultAsync(d => d.Id == receptionDayId, ct)
            ?? throw new ActionRefusedException("该接访日不存在，请刷新页面");
        if (ReceptionRules.BookingRefusal(day.On, today, input.WalkIn) is { } when) errors.Add(when);
        var booked = await db.ReceptionBookings.CountAsync(b => b.ReceptionDayId == day.Id, ct);
        if (ReceptionRules.CapacityRefusal(booked, day.Capacity) is { } full) errors.Add(full);
        int? petitionId = null;
        if (caseNumber is not null)
        {
            var petition = await db.Petitions.AsNoTracking().Where(p => p.CaseNumber == caseNumber).Select(p => new { p.ThreadId }).FirstOrDefaultAsync(ct);
            if (petition is null) errors.Add($"信访编号“{caseNumber}”不存在");
            // A thread is one matter: its latest petition is the one the Leader receives.
            else petitionId = await db.Petitions.AsNoTracking().Where(p => p.ThreadId == petition.ThreadId)
                .OrderByDescending(p => p.ReceivedOn).ThenByDescending(p => p.Id).Select(p => p.Id).FirstAsync(ct);
        }
        else
        {
            if (!await db.Units.AnyAsync(u => u.Id == input.UnitId, ct)) errors.Add("责任单位：不是已登记的单位");
            var localities = await RegistrationService.LocalityNames(db).ToListAsync(ct);
            if (PetitionFieldRules.Locality(input.Locality, localities) is { } localityError) errors.Add($"问题属地：{localityError}");
        }
        Petitioner? person = null;
        if (!newPerson)
        {
            person = await db.Petitioners.FirstOrDefaultAsync(p => p.Id == input.PetitionerId, ct);
            if (person is null) errors.Add("信访人：所选信访人不存在，请重新查找");
        }
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        if (person is null)
        {
            // The same person found through the keyed hash is reused, as registration does.
            var keys = personalData.LookupKeys([clearKey!]);
            person = await db.Petitioners.WithIdentityKeys(keys).OrderBy(p => p.Id).FirstOrDefaultAsync(ct);
            if (person is null)
            {
                var id = ChineseIdNumber.IsValid(input.IdNumber) ? ChineseIdNumber.Normalize(input.IdNumber) : null;
                person = personalData.NewPetitioner(input.Name!.Trim(), id, string.IsNullOrWhiteSpace(input.Phone) ? null : input.Phone.Trim(), null, clearKey);
                db.Petitioners.Add(person);
            }
        }
        var booking = new ReceptionBooking
        {
            ReceptionDayId = day.Id, Petitioner = person, PeopleCount = input.PeopleCount, PetitionId = petitionId,
            Locality = petitionId is null ? input.Locality!.Trim() : null, Category = petitionId is null ? input.Category!.Trim() : null,
            Demand = petitionId is null ? input.Demand!.Trim() : null, UnitId = petitionId is null ? input.UnitId : null,
            WalkIn = input.WalkIn, BookedAtUtc = clock.GetUtcNow().UtcDateTime, BookedBy = guard.ActorName,
        };
        db.ReceptionBookings.Add(booking);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return booking.Id;
    }

    // ---- 接访记录 ---------------------------------------------------------------------------------------------------

    /// <summary>The repeat candidates of a booking's new matter, as the registration form shows them (§6).</summary>
    public async Task<IReadOnlyList<RepeatCandidate>> CandidatesAsync(int bookingId, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRecordReceptions);
        var (booking, day) = await LoadBookingAsync(bookingId, ct);
        if (booking.PetitionId is not null) return [];
        return await registration.CandidatesAsync(await DraftAsync(booking, day, new ReceptionRecordInput()), ct);
    }

    /// <summary>Records the reception and carries out the Leader's decision.</summary>
    public async Task<RecordOutcome> RecordAsync(int bookingId, ReceptionRecordInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanRecordReceptions);
        var today = clock.Today();
        var (booking, day) = await LoadBookingAsync(bookingId, ct);
        var errors = new List<string>();
        if (booking.Attended is not null) throw new ActionRefusedException("该预约已有接访记录，不能重复记录");
        if (day.On > today) errors.Add($"接访记录：接访日 {day.On:yyyy-MM-dd} 尚未到来");
        var asked = input.Asked?.Trim() ?? "";
        if (input.Attended)
        {
            if (asked.Length == 0) errors.Add("反映问题：必填");
            else if (asked.Length > ReceptionRules.MaxAskedLength) errors.Add($"反映问题：不能超过 {ReceptionRules.MaxAskedLength} 字");
            if (input.MinutesSpent is not ({ } m and >= 1 and <= 600)) errors.Add("接谈时长：须为 1–600 分钟");
            if (input.Decision is null) errors.Add("领导处理意见：必选");
            if (input.Decision == ReceptionDecision.Dispatched)
            {
                if (input.DispatchUnitId is null) errors.Add("交办单位：必选");
                if (input.DispatchDueOn is { } due && due <= day.On) errors.Add($"交办期限：须晚于接访日 {day.On:yyyy-MM-dd}");
            }
            if (input.Decision == ReceptionDecision.Assigned)
            {
                if (string.IsNullOrWhiteSpace(input.ResponsiblePerson)) errors.Add("包案责任人：必填");
                if (string.IsNullOrWhiteSpace(input.Plan)) errors.Add("化解方案：必填");
            }
        }
        RegistrationDraft? draft = null;
        var needsPetition = input.Attended && input.Decision is { } d0 && d0 != ReceptionDecision.NotPetitionMatter;
        if (needsPetition && booking.PetitionId is null)
        {
            // The same field rules as the registration form, checked before anything is written.
            draft = await DraftAsync(booking, day, input);
            errors.AddRange(RegistrationService.Validate(draft, today));
        }
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        // Whole milliseconds: the release below finds the claim by its value, and PostgreSQL keeps microseconds only.
        var claimedAt = DateTime.UnixEpoch.AddMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        await ClaimAsync(booking.Id, claimedAt, ct);
        try
        {
            return await RecordClaimedAsync(booking, day, input, asked, needsPetition, draft, ct);
        }
        catch
        {
            // Nothing more is written for this attempt: let the officer (or another) record again. Steps already saved
            // (the matter registered and linked to the booking, its 交办) are picked up by the next attempt, not repeated.
            await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
            await db.ReceptionBookings.Where(b => b.Id == booking.Id && b.RecordingSinceUtc == claimedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.RecordingSinceUtc, (DateTime?)null), CancellationToken.None);
            throw;
        }
    }

    /// <summary>How long a claim on a booking (<see cref="ReceptionBooking.RecordingSinceUtc"/>) holds: a record's writes take
    /// seconds; a claim this old was left by a node that stopped mid-record.</summary>
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(10);

    /// <summary>Claims the booking for this record in one conditional write, so two officers (or two nodes) recording the
    /// same booking at once cannot both register its matter: the second is refused before writing anything.</summary>
    private async Task ClaimAsync(int bookingId, DateTime claimedAt, CancellationToken ct)
    {
        var staleBefore = claimedAt - StaleClaim;
        await using var db = await dbs.CreateDbContextAsync(ct);
        var claimed = await db.ReceptionBookings
            .Where(b => b.Id == bookingId && b.Attended == null && (b.RecordingSinceUtc == null || b.RecordingSinceUtc < staleBefore))
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.RecordingSinceUtc, claimedAt), ct);
        if (claimed == 1) return;
        var recorded = await db.ReceptionBookings.Where(b => b.Id == bookingId).Select(b => b.Attended != null).FirstOrDefaultAsync(ct);
        throw new ActionRefusedException(recorded ? "该预约已有接访记录，不能重复记录" : "该预约正由他人记录接访情况，请稍后刷新查看");
    }

    private async Task<RecordOutcome> RecordClaimedAsync(ReceptionBooking booking, ReceptionDay day, ReceptionRecordInput input, string asked,
        bool needsPetition, RegistrationDraft? draft, CancellationToken ct)
    {
        var petitionId = booking.PetitionId;
        if (draft is not null)
        {
            var registered = await registration.RegisterAsync(draft, ct);
            petitionId = registered.PetitionId;
            await using var db = await dbs.CreateDbContextAsync(ct);
            var b = await db.ReceptionBookings.FirstAsync(x => x.Id == booking.Id, ct);
            b.PetitionId = petitionId;
            await db.SaveChangesAsync(ct);
        }

        string? caseNumber = null;
        DateOnly? dispatchDue = null;
        int? assignmentId = null;
        var message = "已记录：未到场";
        if (needsPetition)
        {
            var p = await PetitionAsync(petitionId!.Value, ct);
            caseNumber = p.CaseNumber;
            switch (input.Decision)
            {
                case ReceptionDecision.Dispatched:
                    dispatchDue = input.DispatchDueOn ?? DispatchDeadline(day.On).Due;
                    // A petition still waiting on its first decision gets the case's own 交办 step (dated the reception day).
                    if (p.State == PetitionState.Registered)
                        await handling.RecordAsync(p.CaseNumber, p.Version,
                            new CaseStepInput { Step = CaseStep.Assign, On = day.On, UnitId = input.DispatchUnitId, Note = "领导接访交办" }, ct);
                    message = $"已交办，期限 {dispatchDue:yyyy-MM-dd}";
                    break;
                case ReceptionDecision.Assigned:
                    var outcome = await assignments.AssignAsync(p.CaseNumber, new AssignmentPlan
                    {
                        LeaderId = day.LeaderId, LeadUnitId = p.UnitId, ResponsiblePerson = input.ResponsiblePerson, Plan = input.Plan,
                    }, ct);
                    assignmentId = outcome.AssignmentIds.FirstOrDefault();
                    message = outcome.Message;
                    break;
                default:
                    message = "已记录：当场答复";
                    break;
            }
        }
        else if (input.Attended) message = "已记录：不属于信访事项";

        await using (var db = await dbs.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var b = await db.ReceptionBookings.FirstAsync(x => x.Id == booking.Id, ct);
            if (b.Attended is not null) throw new ActionRefusedException("该预约已有接访记录，不能重复记录");
            var now = clock.GetUtcNow().UtcDateTime;
            b.Attended = input.Attended;
            b.Asked = input.Attended ? asked : null;
            b.MinutesSpent = input.Attended ? input.MinutesSpent : null;
            b.Decision = input.Attended ? input.Decision : null;
            b.DecisionUnitId = input.Decision == ReceptionDecision.Dispatched ? input.DispatchUnitId : null;
            b.DecisionDueOn = dispatchDue;
            b.AssignmentId = assignmentId;
            b.RecordedBy = guard.ActorName;
            b.RecordedAtUtc = now;
            b.RecordingSinceUtc = null;
            if (needsPetition)
            {
                var petition = await db.Petitions.FirstAsync(x => x.Id == petitionId, ct);
                petition.LeaderReceptionOn ??= day.On;
                var unit = b.DecisionUnitId is { } u ? await db.Units.Where(x => x.Id == u).Select(x => x.Name).FirstAsync(ct) : null;
                db.PetitionEvents.Add(new PetitionEvent
                {
                    PetitionId = petition.Id, Kind = PetitionEventKind.LeaderReception, AtUtc = now, On = day.On, Actor = guard.ActorName,
                    Detail = FieldLengths.Clip($"{day.Leader.Name}（{day.Leader.Title}）{day.On:yyyy-MM-dd}{day.HalfDay.ToChinese()}在{day.Place}接访，"
                        + $"处理意见：{input.Decision!.Value.ToChinese()}{(unit is null ? "" : $"，交办 {unit}，期限 {dispatchDue:yyyy-MM-dd}")}", FieldLengths.EventDetail),
                    Note = FieldLengths.Clip(asked, FieldLengths.EventNote),
                });
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return new RecordOutcome(caseNumber, message);
    }

    private async Task<(ReceptionBooking Booking, ReceptionDay Day)> LoadBookingAsync(int bookingId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var booking = await db.ReceptionBookings.AsNoTracking().Include(b => b.Petitioner).Include(b => b.ReceptionDay).ThenInclude(d => d.Leader)
            .FirstOrDefaultAsync(b => b.Id == bookingId, ct) ?? throw new ActionRefusedException("该预约不存在，请刷新页面");
        return (booking, booking.ReceptionDay);
    }

    private async Task<(string CaseNumber, int Version, PetitionState State, int UnitId)> PetitionAsync(int id, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(ct);
        var p = await db.Petitions.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.CaseNumber, x.Version, x.State, x.UnitId }).FirstAsync(ct);
        return (p.CaseNumber, p.Version, p.State, p.UnitId);
    }

    /// <summary>The registration form a booking's new matter fills in: 来访, received on the reception date (§11).</summary>
    private Task<RegistrationDraft> DraftAsync(ReceptionBooking booking, ReceptionDay day, ReceptionRecordInput input)
    {
        var p = booking.Petitioner;
        return Task.FromResult(new RegistrationDraft
        {
            Petitioners = [new PetitionerDraft(p.Name, personalData.Reveal(p.IdNumber), personalData.Reveal(p.Phone), p.Address)],
            Form = PetitionForm.Visit, PeopleCount = booking.PeopleCount, Locality = booking.Locality, Category = booking.Category,
            Demand = booking.Demand, UnitId = booking.UnitId, ReceivedOn = day.On, Choice = input.RepeatChoice,
            RepeatOfPetitionId = input.RepeatOfPetitionId, LinkReason = input.LinkReason,
        });
    }

    // ---- 下访 -----------------------------------------------------------------------------------------------------

    /// <summary>Records a 下访 with the petitions handled on the spot (信访编号 separated by commas, 、 or spaces).</summary>
    public async Task<int> RecordVisitAsync(VisitInput input, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanPublishReceptions);
        var today = clock.Today();
        var record = input.Record?.Trim() ?? "";
        var numbers = (input.CaseNumbers ?? "").Split([',', '，', '、', ' ', '\n', ';', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct().ToList();
        var errors = new List<string>();
        if (input.LeaderId is null) errors.Add("下访领导：必选");
        if (string.IsNullOrWhiteSpace(input.Locality)) errors.Add("下访地区：必选");
        if (input.On is not { } on) { errors.Add("下访日期：必填"); on = today; }
        else if (on > today) errors.Add($"下访日期：不能晚于今天（{today:yyyy-MM-dd}）");
        if (record.Length == 0) errors.Add("下访记录：必填");
        else if (record.Length > ReceptionRules.MaxVisitRecordLength) errors.Add($"下访记录：不能超过 {ReceptionRules.MaxVisitRecordLength} 字");
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);

        await using var db = await dbs.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.Leaders.AnyAsync(l => l.Id == input.LeaderId, ct)) errors.Add("下访领导：所选领导不存在");
        var localities = await RegistrationService.LocalityNames(db).ToListAsync(ct);
        if (PetitionFieldRules.Locality(input.Locality, localities) is { } localityError) errors.Add($"下访地区：{localityError}");
        var petitions = await db.Petitions.AsNoTracking().Where(p => numbers.Contains(p.CaseNumber)).Select(p => new { p.Id, p.CaseNumber }).ToListAsync(ct);
        var unknown = numbers.Except(petitions.Select(p => p.CaseNumber)).ToList();
        if (unknown.Count > 0) errors.Add($"当场处理的信访件：信访编号不存在：{string.Join("、", unknown)}");
        if (errors.Count > 0) throw ActionRefusedException.Invalid(errors);
        var visit = new LeaderVisit
        {
            LeaderId = input.LeaderId!.Value, Locality = input.Locality!.Trim(), On = on, Record = record,
            RecordedAtUtc = clock.GetUtcNow().UtcDateTime, RecordedBy = guard.ActorName,
            Petitions = [.. petitions.Select(p => new LeaderVisitPetition { PetitionId = p.Id })],
        };
        db.LeaderVisits.Add(visit);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return visit.Id;
    }

    public async Task<IReadOnlyList<VisitRow>> VisitsAsync(DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        guard.Ensure(Policies.CanViewReceptions);
        await using var db = await dbs.CreateDbContextAsync(ct);
        var query = db.LeaderVisits.AsNoTracking().Where(v => v.On >= from && v.On <= to);
        // A Leader without the office's view reads his own visits.
        if (!guard.Allows(Policies.CanBookReceptions) && !guard.Allows(Policies.CanManageLevels))
            query = query.Where(v => v.LeaderId == guard.User.LeaderId);
        var rows = await query.OrderByDescending(v => v.On).ThenByDescending(v => v.Id)
            .Select(v => new { v.Id, v.On, Leader = v.Leader.Name, v.Locality, v.Record }).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var cases = (await (from vp in db.LeaderVisitPetitions.AsNoTracking()
                            where ids.Contains(vp.VisitId)
                            join p in db.Petitions on vp.PetitionId equals p.Id
                            select new { vp.VisitId, p.CaseNumber }).ToListAsync(ct))
            .ToLookup(x => x.VisitId, x => x.CaseNumber);
        return [.. rows.Select(r => new VisitRow(r.Id, r.On, r.Leader, r.Locality, r.Record, [.. cases[r.Id].Order(StringComparer.Ordinal)]))];
    }

    /// <summary>下访 per locality in a period: they count for that locality's units (§11).</summary>
    public static IReadOnlyList<LocalityVisitCount> CountByLocality(IEnumerable<VisitRow> visits) =>
        [.. visits.GroupBy(v => v.Locality).OrderBy(g => g.Key).Select(g => new LocalityVisitCount(g.Key, g.Count(), g.Sum(v => v.CaseNumbers.Count)))];
}
