using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using PetitionDashboard.Domain;
using Xunit.v3;

[assembly: PetitionDashboard.Tests.Support.NoPersonalDataInLogs]

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// The suite's log output scanned for personal data (issue 13, "a scan of the suite's log output"): every host the suite
/// starts (<see cref="Browser.AppHost"/>, <see cref="Security.SecuredAppFactory"/>, the account services) also logs to
/// <see cref="Provider"/>, at the levels its configuration writes, and every message is searched for a 身份证号 (18
/// characters with a birth date in place) or a mobile number (11 digits, 13x–19x) — the test data's and any other.
/// <see cref="NoPersonalDataInLogsAttribute"/> fails the test after which one turns up, naming it masked.
/// </summary>
public static partial class SuiteLog
{
    private static long _scanned;
    private static readonly ConcurrentQueue<string> Hits = new();

    public static ILoggerProvider Provider { get; } = new ScanningProvider();

    /// <summary>Messages scanned so far in this run.</summary>
    public static long Scanned => Interlocked.Read(ref _scanned);

    /// <summary>The personal numbers in <paramref name="text"/>, masked.</summary>
    public static IReadOnlyList<string> Find(string text)
    {
        var found = new List<string>();
        foreach (Match m in IdLike().Matches(text))
            if (HasBirthDate(m.Value)) found.Add(PersonalData.MaskIdNumber(m.Value)!);
        foreach (Match m in PhoneLike().Matches(text)) found.Add(PersonalData.MaskPhone(m.Value)!);
        return found;
    }

    /// <summary>
    /// An ID number's shape: a region code starting 1–8 and a real birth date at positions 7–14. The check digit is not
    /// required — test data often has none that fits, and a mistyped number is as personal as a valid one — while ticks
    /// and other long numbers have no date there.
    /// </summary>
    private static bool HasBirthDate(string id) =>
        id[0] is >= '1' and <= '8'
        && DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var birth)
        && birth.Year is >= 1900 and <= 2100;

    /// <summary>What turned up since the last call.</summary>
    public static IReadOnlyList<string> TakeHits()
    {
        var taken = new List<string>();
        while (Hits.TryDequeue(out var hit)) taken.Add(hit);
        return taken;
    }

    private static void Scan(string category, LogLevel level, string message)
    {
        Interlocked.Increment(ref _scanned);
        var found = Find(message);
        if (found.Count > 0) Hits.Enqueue($"{category} {level}: {string.Join("、", found)}");
    }

    [GeneratedRegex(@"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdLike();

    // Not inside a run of letters and digits: DataProtection's key ids (hex GUIDs) hold 11-digit runs by chance (a CI run
    // failed on "…15312341714…" in an XmlKeyManager warning); a phone in a message stands beside text or punctuation.
    [GeneratedRegex(@"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")]
    private static partial Regex PhoneLike();

    private sealed class ScanningProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Scanner(categoryName);

        // Shared by every host of the run: a host's shutdown must not end it.
        public void Dispose() { }
    }

    private sealed class Scanner(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            if (state.ToString() is { } text) Scan(category, LogLevel.None, text);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Scan(category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}

/// <summary>Fails a test after which the app logged a personal number (see <see cref="SuiteLog"/>).</summary>
public sealed class NoPersonalDataInLogsAttribute : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        var hits = SuiteLog.TakeHits();
        if (hits.Count > 0)
            throw new Xunit.Sdk.XunitException("应用日志中出现了个人信息（身份证号或手机号，已脱敏显示；测试并行时可能来自同时运行的另一测试）：\n" + string.Join("\n", hits));
    }
}
