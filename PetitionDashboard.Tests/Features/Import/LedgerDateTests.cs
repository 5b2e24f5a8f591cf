using PetitionDashboard.Features.Import;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>The date shapes real ledgers carry (docs/rules.md §7), each read to its day, and the ones refused with their reason.</summary>
public class LedgerDateTests
{
    private static LedgerCell Text(string text) => new(text, null, false, false);

    private static LedgerCell Number(double n, bool isDate = false) => new(n.ToString("R", System.Globalization.CultureInfo.InvariantCulture), n, isDate, false);

    [Theory]
    [InlineData("2023-05-06", 2023, 5, 6)]
    [InlineData("2023-5-6", 2023, 5, 6)]
    [InlineData("2023-5-6 12:30", 2023, 5, 6)]
    [InlineData("2023-05-06 08:05:09", 2023, 5, 6)]
    [InlineData("2023-05-06T23:59:00", 2023, 5, 6)]
    [InlineData("2023/5/6", 2023, 5, 6)]
    [InlineData("2023/12/31 23:59", 2023, 12, 31)]
    [InlineData("2023.5.6", 2023, 5, 6)]
    [InlineData("2023.05.06 9:30", 2023, 5, 6)]
    [InlineData("2023年5月6日", 2023, 5, 6)]
    [InlineData("2023年05月06日 12:30", 2023, 5, 6)]
    [InlineData("2023年5月6日12:30", 2023, 5, 6)]
    [InlineData("2023年5月6日 12时30分", 2023, 5, 6)]
    [InlineData("２０２３年５月６日", 2023, 5, 6)]
    [InlineData("2023－05－06", 2023, 5, 6)]
    [InlineData("20230506", 2023, 5, 6)]
    [InlineData(" 2024-2-29 ", 2024, 2, 29)]
    [InlineData("45052", 2023, 5, 6)]
    [InlineData("45052.5208333", 2023, 5, 6)]
    public void TextDates_AreReadToTheirDay(string text, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), LedgerValues.Date(Text(text), out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData(45052, false, 2023, 5, 6)]      // a bare serial (the exporting system wrote no date format)
    [InlineData(45052.75, false, 2023, 5, 6)]   // with a time of day
    [InlineData(45052, true, 2023, 5, 6)]       // an Excel date
    [InlineData(45291, true, 2023, 12, 31)]
    [InlineData(20230506, false, 2023, 5, 6)]   // yyyyMMdd typed as a number
    public void Numbers_AreExcelSerials_OrCompactDates(double n, bool isDate, int year, int month, int day)
    {
        Assert.Equal(new DateOnly(year, month, day), LedgerValues.Date(Number(n, isDate), out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData("2023-13-06")]
    [InlineData("2023.13.6")]
    [InlineData("2023年2月30日")]
    [InlineData("2023-5-6 25:00")]
    [InlineData("23-5-6")]
    [InlineData("5/6/2023")]
    [InlineData("明天")]
    [InlineData("45052天")]
    [InlineData("2023")]
    [InlineData("2023年5月")]
    public void BadTexts_AreRefused_QuotingTheCell_AndTheShapesThatWork(string text)
    {
        Assert.Null(LedgerValues.Date(Text(text), out var reason));
        Assert.Equal($"无法识别的日期“{text}”（可用 Excel 日期或 yyyy-M-d、yyyy/M/d、yyyy.M.d、yyyy年M月d日、yyyyMMdd，可带时间如 2023-5-6 12:30）", reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(2958466)]
    public void SerialsOutsideExcelsRange_AreRefused(double n)
    {
        Assert.Null(LedgerValues.Date(Number(n), out var reason));
        Assert.Equal($"无法识别的日期“{Number(n).Text}”（Excel 日期序号须在 1 至 2958465 之间）", reason);
    }

    [Fact]
    public void AFormula_IsRefused_NeverEvaluated()
    {
        Assert.Null(LedgerValues.Date(new LedgerCell("=TODAY()", null, false, true), out var reason));
        Assert.Equal("单元格是公式“=TODAY()”，台账须填写日期值（公式不会被计算）", reason);
    }

    /// <summary>The hand-read plain shapes give exactly the date the format list gives — one rule, read two ways.</summary>
    [Fact]
    public void PlainDates_ReadByHand_AgreeWithTheFormats_OnEveryDayOfALeapYearAndOnNearMisses()
    {
        var checkedDates = 0;
        for (var d = new DateOnly(2023, 12, 25); d <= new DateOnly(2025, 3, 5); d = d.AddDays(1))
        {
            foreach (var text in new[]
            {
                $"{d.Year}-{d.Month}-{d.Day}", $"{d:yyyy-MM-dd}", $"{d.Year}/{d.Month}/{d.Day}", $"{d:yyyy/MM/dd}",
                $"{d.Year}.{d.Month}.{d.Day}", $"{d:yyyy.MM.dd}", $"{d.Year}年{d.Month}月{d.Day}日", $"{d:yyyy年MM月dd日}",
            })
            {
                Assert.Equal(d, LedgerValues.ByFormats(text));
                Assert.Equal(d, LedgerValues.PlainDate(text));
                checkedDates++;
            }
        }
        Assert.Equal(8 * 437, checkedDates);
        // Near misses: whatever the hand reader accepts, the formats accept as the same day; what it refuses goes to them.
        foreach (var text in new[]
        {
            "2023-2-29", "2024-2-30", "2023-13-1", "2023-0-5", "2023-5-0", "2023-5-32", "2023-5/6", "2023/5-6", "2023-5-",
            "202-5-6", "20235-5-6", "2023年5月6", "2023年5-6日", "2023年5月6号", "2023-005-6", "2023-5-006", "2023.5.6.", "0000-1-1",
            "2023-5-6 12:30", "20230506", "2023-５-6", "2023-5-6日",
        })
        {
            var plain = LedgerValues.PlainDate(text);
            if (plain is not null) Assert.Equal(LedgerValues.ByFormats(text), plain);
        }
        Assert.Null(LedgerValues.PlainDate("2023-2-29"));
        // Year 0 is a refused cell with its reason (it threw inside the hand reader before).
        Assert.Null(LedgerValues.Date(Text("0000-1-1"), out var reason));
        Assert.Contains("无法识别的日期", reason);
        Assert.Null(LedgerValues.ByFormats("2023-2-29"));
    }
}
