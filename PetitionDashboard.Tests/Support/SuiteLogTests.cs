using Microsoft.Extensions.Logging;

namespace PetitionDashboard.Tests.Support;

/// <summary>The log scan finds ID numbers and mobile numbers as a log line would carry them, and nothing else that looks long.</summary>
public class SuiteLogTests
{
    [Fact]
    public void Find_NamesIdNumbersAndPhonesMasked_AndLeavesOtherNumbersAlone()
    {
        Assert.Equal(["110101********1234", "138****5678"],
            SuiteLog.Find("导入失败：第 3 行 身份证号 110101199003071234，电话 13812345678。"));
        // Ticks, 18 digits without a birth date, a 13-digit Unix time, a decimal, a case number.
        Assert.Empty(SuiteLog.Find("ticks 638999999999999999; 110101990003071235; 1764500000000; 13.812345678; XF-2026-13812345; key {7c0e4f2a-9b1d-4e3f-8a6b-c15312341714}"));
    }

    [Fact]
    public void TheProvider_ScansWhatAHostLogs()
    {
        var before = SuiteLog.Scanned;
        SuiteLog.Provider.CreateLogger("测试").LogInformation("无个人信息的一行");
        Assert.True(SuiteLog.Scanned > before);
    }
}
