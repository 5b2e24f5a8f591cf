using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;
using static PetitionDashboard.Tests.Domain.DomainTestData;

namespace PetitionDashboard.Tests.Domain;

/// <summary>
/// Every limit of docs/rules.md §3 counted by the rule of §2. Expected dates are worked out by hand from the holiday table;
/// "crossed" lists the holidays and make-up days from the day after the start through the due date.
/// </summary>
public class DeadlineCalculatorTests
{
    private static readonly DeadlineCalculator Calc = TestRules.Deadlines();

    private static void AssertDeadline(
        Deadline d, string last, string due, bool shifted, string crossed, int[]? missing = null)
    {
        Assert.Equal(D(last), d.LastDayCounted);
        Assert.Equal(D(due), d.Due);
        Assert.Equal(Dates(crossed), d.Crossed.Select(c => c.Date).ToList());
        Assert.All(d.Crossed, c => Assert.True(c.Kind is DayKind.Holiday or DayKind.MakeUpWorkday));
        Assert.Equal(missing ?? [], d.MissingCalendarYears);
        if (shifted)
        {
            Assert.NotNull(d.ShiftRule);
            Assert.Contains(last, d.ShiftRule);
            Assert.Contains(due, d.ShiftRule);
        }
        else
        {
            Assert.Null(d.ShiftRule);
        }
    }

    [Theory]
    // Sat 09-20 + 15 = Sun 10-05, inside National Day (10-01…10-08) → Thu 10-09.
    [InlineData("2025-09-20", "2025-10-05", "2025-10-09", true, "2025-09-28, 2025-10-01..2025-10-08")]
    // Fri 09-26 + 15 = Sat 10-11, a make-up working day: no shift.
    [InlineData("2025-09-26", "2025-10-11", "2025-10-11", false, "2025-09-28, 2025-10-01..2025-10-08, 2025-10-11")]
    // Sun 02-01 + 15 = Mon 02-16, Spring Festival (02-15…02-23) → Tue 02-24.
    [InlineData("2026-02-01", "2026-02-16", "2026-02-24", true, "2026-02-14, 2026-02-15..2026-02-23")]
    // Fri 02-13 + 15 = Sat 02-28, a make-up working day.
    [InlineData("2026-02-13", "2026-02-28", "2026-02-28", false, "2026-02-14, 2026-02-15..2026-02-23, 2026-02-28")]
    // Sat 02-14 + 15 = Sun 03-01, an ordinary weekend → Mon 03-02.
    [InlineData("2026-02-14", "2026-03-01", "2026-03-02", true, "2026-02-15..2026-02-23, 2026-02-28")]
    // Across the year end: Sat 2025-12-20 + 15 = Sun 2026-01-04, the make-up day after New Year (01-01…01-03).
    [InlineData("2025-12-20", "2026-01-04", "2026-01-04", false, "2026-01-01..2026-01-03, 2026-01-04")]
    // Across the year end: Fri 2024-12-20 + 15 = Sat 2025-01-04 → Mon 01-06.
    [InlineData("2024-12-20", "2025-01-04", "2025-01-06", true, "2025-01-01")]
    // Across a month end into Spring Festival 2024 (02-10…02-17): Thu 02-15 → make-up Sunday 02-18.
    [InlineData("2024-01-31", "2024-02-15", "2024-02-18", true, "2024-02-04, 2024-02-10..2024-02-17, 2024-02-18")]
    [InlineData("2026-12-10", "2026-12-25", "2026-12-25", false, "")]
    public void FirstDecision_Is15CalendarDays_LastDayMovedOffNonWorkingDays(
        string received, string last, string due, bool shifted, string crossed)
    {
        var d = Calc.FirstDecision(D(received));
        Assert.Equal(DeadlineStep.FirstDecision, d.Step);
        Assert.Equal(15, d.Limit);
        Assert.Equal(LimitKind.CalendarDays, d.Kind);
        Assert.Equal(D(received), d.Start);
        AssertDeadline(d, last, due, shifted, crossed);
    }

    [Fact]
    public void FirstDecision_IntoAYearWithoutCalendar_UsesWeekendsAndSaysTheYearIsMissing()
    {
        // Fri 2026-12-25 + 15 = Sat 2027-01-09; 2027 has no file, so weekends only → Mon 01-11.
        var d = Calc.FirstDecision(D("2026-12-25"));
        AssertDeadline(d, "2027-01-09", "2027-01-11", true, "", [2027]);
        Assert.Contains("休息日", d.ShiftRule);
    }

    [Fact]
    public void FirstDecision_StartingOnTheLastDayOfAYearWithoutCalendar_DoesNotReportThatYear()
    {
        // Only 2024-01-01…2024-01-15 are consulted; the start day itself is not counted (§2).
        var d = Calc.FirstDecision(D("2023-12-31"));
        AssertDeadline(d, "2024-01-15", "2024-01-15", false, "2024-01-01");
    }

    [Fact]
    public void ShiftRule_NamesTheHolidayThatMovedTheLastDay()
    {
        var d = Calc.FirstDecision(D("2025-09-20"));
        Assert.Contains("国庆节、中秋节", d.ShiftRule);
        Assert.Contains("次日起算", d.Summary);
        Assert.Contains("2025-10-09", d.Summary);
    }

    [Fact]
    public void UnitAcceptance_Is15CalendarDaysFromUnitReceipt()
    {
        // Wed 09-16 + 15 = Thu 10-01 (National Day 10-01…10-07) → Thu 10-08.
        var d = Calc.UnitAcceptance(D("2026-09-16"));
        Assert.Equal(DeadlineStep.UnitAcceptance, d.Step);
        AssertDeadline(d, "2026-10-01", "2026-10-08", true, "2026-09-20, 2026-09-25..2026-09-27, 2026-10-01..2026-10-07");
    }

    [Theory]
    // 09-28 (Sun, make-up) 1, 09-29 2, 09-30 3, [10-01…10-08], 10-09 4, 10-10 5.
    [InlineData("2025-09-26", "2025-10-10", "2025-09-28, 2025-10-01..2025-10-08")]
    // 02-12 1, 02-13 2, 02-14 (Sat, make-up) 3, [02-15…02-23], 02-24 4, 02-25 5.
    [InlineData("2026-02-11", "2026-02-25", "2026-02-14, 2026-02-15..2026-02-23")]
    public void Objection_Is5WorkingDays(string unitReceived, string due, string crossed)
    {
        var d = Calc.Objection(D(unitReceived));
        Assert.Equal(LimitKind.WorkingDays, d.Kind);
        Assert.Equal(5, d.Limit);
        AssertDeadline(d, due, due, false, crossed);
    }

    [Fact]
    public void Objection_IntoAYearWithoutCalendar_CountsWeekdays()
    {
        // 12-30 1, 12-31 2, Fri 2027-01-01 3 (no 2027 file), Mon 01-04 4, Tue 01-05 5.
        AssertDeadline(Calc.Objection(D("2026-12-29")), "2027-01-05", "2027-01-05", false, "", [2027]);
    }

    [Theory]
    // Sat 08-02 + 60 = Wed 10-01 (holiday) → Thu 10-09.
    [InlineData("2025-08-02", 0, "2025-10-01", "2025-10-09", true, "2025-09-28, 2025-10-01..2025-10-08")]
    // Wed 07-15 + 60 = Sun 09-13 → Mon 09-14.
    [InlineData("2026-07-15", 0, "2026-09-13", "2026-09-14", true, "")]
    // Extension added before the shift: 07-15 + 75 = Mon 09-28. (Shift first, then add, would give 09-29.)
    [InlineData("2026-07-15", 15, "2026-09-28", "2026-09-28", false, "2026-09-20, 2026-09-25..2026-09-27")]
    // Sat 2025-11-01 + 60 = Wed 12-31.
    [InlineData("2025-11-01", 0, "2025-12-31", "2025-12-31", false, "")]
    // + 63 = Sat 2026-01-03 (New Year) → Sun 01-04, a make-up working day.
    [InlineData("2025-11-01", 3, "2026-01-03", "2026-01-04", true, "2026-01-01..2026-01-03, 2026-01-04")]
    // + 90 = Fri 2026-01-30: the longest allowed extension.
    [InlineData("2025-11-01", 30, "2026-01-30", "2026-01-30", false, "2026-01-01..2026-01-03, 2026-01-04")]
    public void Reply_Is60DaysPlusExtension_ShiftAppliedOnceToTheSum(
        string accepted, int extension, string last, string due, bool shifted, string crossed)
    {
        var d = Calc.Reply(D(accepted), extension, simpleProcedure: false);
        Assert.Equal(DeadlineStep.Reply, d.Step);
        Assert.Equal(60 + extension, d.Limit);
        Assert.Equal(LimitKind.CalendarDays, d.Kind);
        AssertDeadline(d, last, due, shifted, crossed);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(-1)]
    public void Reply_ExtensionOutside0To30_IsRefused(int extension)
    {
        var e = Assert.Throws<ActionRefusedException>(() => Calc.Reply(D("2026-03-02"), extension, simpleProcedure: false));
        Assert.Contains("不得超过30日", e.Message);
        Assert.Contains("信访工作条例第三十二条", e.Message);
    }

    [Theory]
    // 02-14 1, [02-15…02-23], 02-24…02-27 2–5, Sat 02-28 6, 03-02…03-05 7–10.
    [InlineData("2026-02-13", "2026-03-05", "2026-02-14, 2026-02-15..2026-02-23, 2026-02-28")]
    // 09-28 1, 09-29 2, 09-30 3, 10-09 4, 10-10 5, Sat 10-11 6, 10-13…10-16 7–10.
    [InlineData("2025-09-26", "2025-10-16", "2025-09-28, 2025-10-01..2025-10-08, 2025-10-11")]
    public void Reply_SimpleProcedure_Is10WorkingDays(string accepted, string due, string crossed)
    {
        var d = Calc.Reply(D(accepted), 0, simpleProcedure: true);
        Assert.Equal(LimitKind.WorkingDays, d.Kind);
        Assert.Equal(10, d.Limit);
        AssertDeadline(d, due, due, false, crossed);
    }

    [Fact]
    public void Reply_SimpleProcedure_RefusesAnExtension()
    {
        var e = Assert.Throws<ActionRefusedException>(() => Calc.Reply(D("2026-02-13"), 5, simpleProcedure: true));
        Assert.Contains("简易办理", e.Message);
        Assert.Contains("《信访事项简易办理办法（试行）》", e.Message);
    }

    [Fact]
    public void ReviewAndRecheckWindows_Are30CalendarDays()
    {
        // Tue 01-20 + 30 = Thu 02-19 (Spring Festival) → Tue 02-24.
        var reviewRequest = Calc.ReviewRequest(D("2026-01-20"));
        Assert.Equal(DeadlineStep.ReviewRequest, reviewRequest.Step);
        AssertDeadline(reviewRequest, "2026-02-19", "2026-02-24", true, "2026-02-14, 2026-02-15..2026-02-23");
        // Mon 09-07 + 30 = Wed 10-07 (National Day) → Thu 10-08.
        var reviewDecision = Calc.ReviewDecision(D("2026-09-07"));
        Assert.Equal(DeadlineStep.ReviewDecision, reviewDecision.Step);
        AssertDeadline(reviewDecision, "2026-10-07", "2026-10-08", true, "2026-09-20, 2026-09-25..2026-09-27, 2026-10-01..2026-10-07");
        // Mon 11-30 + 30 = Wed 12-30.
        var recheckRequest = Calc.RecheckRequest(D("2026-11-30"));
        Assert.Equal(DeadlineStep.RecheckRequest, recheckRequest.Step);
        AssertDeadline(recheckRequest, "2026-12-30", "2026-12-30", false, "");
        // Sat 12-05 + 30 = Mon 2027-01-04, in a year without a calendar file.
        var recheckDecision = Calc.RecheckDecision(D("2026-12-05"));
        Assert.Equal(DeadlineStep.RecheckDecision, recheckDecision.Step);
        AssertDeadline(recheckDecision, "2027-01-04", "2027-01-04", false, "", [2027]);
    }

    [Theory]
    // Wed 07-01 + 90 = Tue 09-29.
    [InlineData("2026-07-01", 0, "2026-09-29", "2026-09-29", false, "2026-09-20, 2026-09-25..2026-09-27")]
    // + 120 = Thu 10-29.
    [InlineData("2026-07-01", 30, "2026-10-29", "2026-10-29", false, "2026-09-20, 2026-09-25..2026-09-27, 2026-10-01..2026-10-07, 2026-10-10")]
    // Fri 07-03 + 90 = Thu 10-01 (National Day) → Thu 10-08.
    [InlineData("2026-07-03", 0, "2026-10-01", "2026-10-08", true, "2026-09-20, 2026-09-25..2026-09-27, 2026-10-01..2026-10-07")]
    public void Assignment_Is90DaysPlusExtension(string assigned, int extension, string last, string due, bool shifted, string crossed)
    {
        var d = Calc.Assignment(D(assigned), extension);
        Assert.Equal(DeadlineStep.Assignment, d.Step);
        Assert.Equal(90 + extension, d.Limit);
        AssertDeadline(d, last, due, shifted, crossed);
    }

    [Fact]
    public void Assignment_ExtensionOver30_IsRefused()
    {
        var e = Assert.Throws<ActionRefusedException>(() => Calc.Assignment(D("2026-07-01"), 31));
        Assert.Contains("包案", e.Message);
    }

    [Fact]
    public void Limits_AreConfigurable()
    {
        // A 10-day first decision: Fri 02-13 + 10 = Mon 02-23 (Spring Festival) → Tue 02-24.
        var calc = TestRules.Deadlines(new DeadlineOptions { FirstDecisionDays = 10, MaxExtensionDays = 20 });
        Assert.Equal(D("2026-02-24"), calc.FirstDecision(D("2026-02-13")).Due);
        Assert.Throws<ActionRefusedException>(() => calc.Reply(D("2026-03-02"), 21, simpleProcedure: false));
    }

    public static TheoryData<PetitionState, string?> CurrentCases => new()
    {
        { PetitionState.Registered, "2025-10-09" }, // first decision from received 2025-09-20
        { PetitionState.Dispatched, "2026-10-08" }, // unit acceptance from dispatched 2026-09-16
        { PetitionState.Accepted, "2026-09-28" }, // reply from accepted 2026-07-15 with a 15-day extension
        { PetitionState.InHandling, "2026-09-28" },
        { PetitionState.UnderReview, "2026-10-08" }, // review decision from 2026-09-07
        { PetitionState.UnderRecheck, "2027-01-04" }, // recheck decision from 2026-12-05
        { PetitionState.Replied, null },
        { PetitionState.Reviewed, null },
        { PetitionState.Closed, null },
        { PetitionState.Terminated, null },
        { PetitionState.Filed, null },
    };

    [Theory]
    [MemberData(nameof(CurrentCases))]
    public void Current_IsTheDeadlineOfTheStepTheOpenPetitionWaitsOn(PetitionState state, string? expected)
    {
        var p = NewPetition(D("2025-09-20"));
        p.State = state;
        p.DispatchedOn = D("2026-09-16");
        p.FirstDecisionOn = D("2025-09-25");
        p.AcceptedOn = D("2026-07-15");
        p.ExtensionDays = 15;
        p.ReviewAcceptedOn = D("2026-09-07");
        p.RecheckAcceptedOn = D("2026-12-05");
        Assert.Equal(expected is null ? null : D(expected), Calc.Current(p)?.Due);
    }

    [Theory]
    // Reply due 2025-10-09 (accepted 2025-08-02): on the due date is on time, the next day late.
    [InlineData("2025-08-02", 0, "2025-10-09", DeadlineStatus.OnTime)]
    [InlineData("2025-08-02", 0, "2025-10-10", DeadlineStatus.Late)]
    // With the 15-day extension in force the due date is 2026-09-28; without it 2026-09-14.
    [InlineData("2026-07-15", 15, "2026-09-28", DeadlineStatus.OnTime)]
    [InlineData("2026-07-15", 15, "2026-09-29", DeadlineStatus.Late)]
    [InlineData("2026-07-15", 0, "2026-09-15", DeadlineStatus.Late)]
    public void Completion_ComparesTheReplyWithTheReplyDeadlineInForce(string accepted, int extension, string replied, DeadlineStatus expected)
    {
        var p = NewPetition(D(accepted));
        p.State = PetitionState.Closed;
        p.AcceptedOn = D(accepted);
        p.FirstDecisionOn = D(accepted);
        p.ExtensionDays = extension;
        p.RepliedOn = D(replied);
        p.FinishedOn = D(replied).AddDays(40);
        Assert.Equal(expected, Calc.Completion(p));
    }

    [Fact]
    public void Completion_RoutedToLegalWhileInHandling_IsJudgedAgainstTheReplyDeadline()
    {
        // First decision on time (08-02 ≤ 08-16), but the reply deadline in force (10-09) had passed when it left handling.
        var p = NewPetition(D("2025-08-01"));
        p.State = PetitionState.RoutedToLegal;
        p.FirstDecisionOn = D("2025-08-02");
        p.AcceptedOn = D("2025-08-02");
        p.FinishedOn = D("2025-10-20");
        Assert.Equal(DeadlineStatus.Late, Calc.Completion(p));
    }

    [Fact]
    public void Completion_NotAcceptedByTheUnit_IsJudgedAgainstTheUnitAcceptanceDeadline()
    {
        // Dispatched Mon 2026-11-02 → unit acceptance due Tue 11-17; the unit refused on 11-18.
        var p = NewPetition(D("2026-11-02"));
        p.State = PetitionState.NotAccepted;
        p.DispatchedOn = D("2026-11-02");
        p.FirstDecisionOn = D("2026-11-02");
        p.FinishedOn = D("2026-11-18");
        Assert.Equal(DeadlineStatus.Late, Calc.Completion(p));
        p.FinishedOn = D("2026-11-17");
        Assert.Equal(DeadlineStatus.OnTime, Calc.Completion(p));
    }

    [Fact]
    public void Completion_TerminatedAfterRecheck_IsJudgedAgainstTheRecheckDecisionDeadline()
    {
        var p = NewPetition(D("2026-06-01"));
        p.State = PetitionState.Terminated;
        p.FirstDecisionOn = p.AcceptedOn = D("2026-06-02");
        p.RepliedOn = D("2026-07-01");
        p.ReviewAcceptedOn = D("2026-08-03");
        p.ReviewDecidedOn = D("2026-08-20");
        p.RecheckAcceptedOn = D("2026-12-05"); // recheck decision due 2027-01-04
        p.FinishedOn = D("2027-01-05");
        Assert.Equal(DeadlineStatus.Late, Calc.Completion(p));
        p.FinishedOn = D("2027-01-04");
        Assert.Equal(DeadlineStatus.OnTime, Calc.Completion(p));
    }

    [Fact]
    public void Completion_FiledAtRegistration_IsJudgedAgainstTheFirstDecisionDeadline()
    {
        // Received 2025-09-20 → first decision due 2025-10-09.
        var p = NewPetition(D("2025-09-20"));
        p.State = PetitionState.Filed;
        p.FirstDecisionOn = p.FinishedOn = D("2025-10-09");
        Assert.Equal(DeadlineStatus.OnTime, Calc.Completion(p));
        p.FirstDecisionOn = p.FinishedOn = D("2025-10-10");
        Assert.Equal(DeadlineStatus.Late, Calc.Completion(p));
    }

    [Fact]
    public void Completion_OfAnOpenPetition_IsNull()
    {
        var p = NewPetition(D("2025-09-20"));
        p.State = PetitionState.InHandling;
        p.AcceptedOn = D("2025-09-22");
        Assert.Null(Calc.Completion(p));
    }

    [Theory]
    // Due 2026-11-20, WarnDays 5: 6 days left 正常, 5 → 临期, 0 → 临期, −1 → 超期.
    [InlineData("2026-11-14", DeadlineStatus.Normal, -6)]
    [InlineData("2026-11-15", DeadlineStatus.DueSoon, -5)]
    [InlineData("2026-11-20", DeadlineStatus.DueSoon, 0)]
    [InlineData("2026-11-21", DeadlineStatus.Overdue, 1)]
    [InlineData("2027-01-01", DeadlineStatus.Overdue, 42)]
    public void DeadlineStatus_AtTheBoundaries(string today, DeadlineStatus expected, int daysOverdue)
    {
        Assert.Equal(expected, DeadlineStatusRule.OfOpen(D("2026-11-20"), D(today), 5));
        Assert.Equal(daysOverdue, DeadlineStatusRule.DaysOverdue(D("2026-11-20"), D(today)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    [InlineData(10)]
    public void DueRanges_SelectExactlyTheDueDatesOfEachStatus(int warnDays)
    {
        // The SQL filters use the ranges; the page and the chips use OfOpen: for every due date around today they agree.
        var today = D("2026-12-30");
        for (var due = today.AddDays(-40); due <= today.AddDays(40); due = due.AddDays(1))
            foreach (var status in new[] { DeadlineStatus.Overdue, DeadlineStatus.DueSoon, DeadlineStatus.Normal })
            {
                var (from, to) = DeadlineStatusRule.DueRange(status, today, warnDays);
                var inRange = (from is null || due >= from) && (to is null || due <= to);
                Assert.Equal(DeadlineStatusRule.OfOpen(due, today, warnDays) == status, inRange);
            }
    }

    [Fact]
    public void DeadlineStatus_Names_AreChinese()
    {
        Assert.Equal("正常", DeadlineStatus.Normal.ToChinese());
        Assert.Equal("临期", DeadlineStatus.DueSoon.ToChinese());
        Assert.Equal("超期", DeadlineStatus.Overdue.ToChinese());
        Assert.Equal("按期", DeadlineStatus.OnTime.ToChinese());
        Assert.Equal("逾期", DeadlineStatus.Late.ToChinese());
    }
}
