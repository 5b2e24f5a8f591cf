using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Tests.Browser;
using PetitionDashboard.Tests.Features.Import;
using PetitionDashboard.Tests.Features.Repeats;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Security;

/// <summary>
/// 身份证号 and phone numbers at rest (issue 13 item 5, 等保 confidentiality): after registration, a ledger import and a reveal
/// on the real host, none of the test data's numbers is in clear in the SQLite file's bytes (WAL included), in the audit
/// table, or in anything the host logged; repeat detection by ID and by name + phone still finds the earlier petitions.
/// </summary>
[Collection(AppCollection.Name)]
public class PersonalDataAtRestTests
{
    private const string PhoneZhang = "13812345678", PhoneLi = "13700002222";
    private const string LedgerId1 = "361102198001011236", LedgerId2 = "361102199003154569";
    private const string LedgerPhone1 = "13900001111", LedgerPhone2 = "13900002222", LedgerPhone3 = "13600003333";
    private static readonly string[] Numbers =
        [RepeatWorld.IdZhang, PhoneZhang, PhoneLi, LedgerId1, LedgerId2, LedgerPhone1, LedgerPhone2, LedgerPhone3];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegistrationImportAndReveal_LeaveNoNumberInClear_InTheFileTheAuditTrailOrTheLog_AndRepeatsAreStillFound()
    {
        var logs = new LogCapture();
        var officer = FixedCurrentUser.For("值班员甲", [Roles.DutyOfficer]);
        await using var host = await AppHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Clock:Now"] = "2026-11-23T09:00:00+08:00",
            },
            services =>
            {
                services.AddSingleton<ILoggerProvider>(logs);
                // Everything the host says to this logger, SQL statements included: a number in any of it fails the test.
                services.Configure<LoggerFilterOptions>(o => o.AddFilter<LogCapture>(null, LogLevel.Debug));
                services.AddScoped<ICurrentUser>(_ => officer);
            });
        int unitId;
        await using (var db = await host.Database.CreateDbContextAsync(Ct))
        {
            db.Units.AddRange(new Unit { Name = RepeatWorld.Locality, Kind = UnitKind.County }, new Unit { Name = "城关区", Kind = UnitKind.County });
            await db.SaveChangesAsync(Ct);
            unitId = await db.Units.Where(u => u.Name == RepeatWorld.Locality).Select(u => u.Id).SingleAsync(Ct);
        }
        await using var scope = host.Services.CreateAsyncScope();
        var registration = scope.ServiceProvider.GetRequiredService<RegistrationService>();
        var detection = scope.ServiceProvider.GetRequiredService<RepeatDetectionService>();
        RegistrationDraft Draft(string name, string? id, string? phone, string demand, int daysAgo) => new()
        {
            Petitioners = [new PetitionerDraft(name, id, phone)], Form = PetitionForm.Visit, PeopleCount = 1, Locality = RepeatWorld.Locality,
            Category = RepeatWorld.Category, Purpose = PetitionPurpose.Request, Demand = demand, UnitId = unitId,
            ReceivedOn = RepeatWorld.Today.AddDays(-daysAgo), Choice = RepeatChoice.NewMatter,
        };

        // Registration: one person by 身份证号, one by name + phone.
        var zhang = await registration.RegisterAsync(Draft("张三", RepeatWorld.IdZhang, PhoneZhang, RepeatWorld.Wages, 30), Ct);
        var li = await registration.RegisterAsync(Draft("李四", null, PhoneLi, "村里修路占用我家耕地，未给补偿", 20), Ct);

        // Repeat detection still finds them: by the ID number and by name + phone (typed with other separators).
        var byId = await detection.FindCandidatesAsync(RepeatProbe.For([new PetitionerDraft("张三", RepeatWorld.IdZhang, null)],
            RepeatWorld.Locality, RepeatWorld.Category, "要求补发拖欠的三个月工资"), Ct);
        Assert.Equal(zhang.ThreadId, Assert.Single(byId).ThreadId);
        Assert.True(byId[0].SharedPetitioners.Single().ByIdNumber);
        var byPhone = await detection.FindCandidatesAsync(RepeatProbe.For([new PetitionerDraft("李四", null, "137-0000 2222")],
            RepeatWorld.Locality, RepeatWorld.Category, "修路占用耕地没有补偿"), Ct);
        Assert.Equal(li.ThreadId, Assert.Single(byPhone).ThreadId);
        var again = Draft("张三", RepeatWorld.IdZhang, null, "再次要求补发拖欠的工资，共计三个月。", 0);
        again.Choice = RepeatChoice.RepeatOf;
        again.RepeatOfPetitionId = zhang.PetitionId;
        var repeat = await registration.RegisterAsync(again, Ct);
        Assert.True(repeat.IsRepeat);
        Assert.Equal(zhang.ThreadId, repeat.ThreadId);

        // Import: new people with numbers, and 李四 again by name + phone (a repeat the import's detection finds).
        var importer = scope.ServiceProvider.GetRequiredService<LedgerImportService>();
        var ledger = new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-11-02"), (C.Petitioners, "王五、赵六"), (C.IdNumbers, $"{LedgerId1}、{LedgerId2}"),
                (C.Phones, $"{LedgerPhone1}、{LedgerPhone2}"), (C.PeopleCount, 2))
            .Row("XF-2", (C.ReceivedOn, "2026-11-03"), (C.Petitioners, "钱七"), (C.Phones, LedgerPhone3))
            .Row("XF-3", (C.ReceivedOn, "2026-11-20"), (C.Petitioners, "李四"), (C.Phones, PhoneLi), (C.Locality, RepeatWorld.Locality),
                (C.Unit, RepeatWorld.Locality), (C.Category, RepeatWorld.Category), (C.Demand, "村里修路占用我家耕地，至今未给补偿"));
        var path = ledger.Save();
        try
        {
            await using var upload = File.OpenRead(path);
            var received = await importer.ReceiveAsync(upload, "台账.xlsx", upload.Length, Ct);
            var result = await importer.ImportAsync(received, "台账.xlsx", ct: Ct);
            Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
            Assert.Equal(1, result.Repeats);
        }
        finally
        {
            File.Delete(path);
        }

        // The reveal decrypts (and is audited).
        int zhangId;
        await using (var db = await host.Database.CreateDbContextAsync(Ct))
            zhangId = await db.PetitionPetitioners.Where(x => x.PetitionId == zhang.PetitionId).Select(x => x.PetitionerId).SingleAsync(Ct);
        var revealed = await scope.ServiceProvider.GetRequiredService<PersonalDataView>().RevealAsync(zhangId, null, Ct);
        Assert.Equal((RepeatWorld.IdZhang, PhoneZhang), (revealed.IdNumber, revealed.Phone));

        // 1. The database file's bytes (and its write-ahead log), as a copy of the disk would show them.
        var file = new SqliteConnectionStringBuilder(host.Database.ConnectionString).DataSource;
        var bytes = new List<byte>();
        foreach (var part in new[] { file, file + "-wal", file + "-journal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[stream.Length];
            await stream.ReadExactlyAsync(buffer, Ct);
            bytes.AddRange(buffer);
        }
        var image = bytes.ToArray();
        Assert.True(image.AsSpan().IndexOf("张三"u8) >= 0, "扫描对象不对：数据库文件中连姓名都找不到");
        foreach (var n in Numbers)
            Assert.True(image.AsSpan().IndexOf(Encoding.UTF8.GetBytes(n)) < 0, $"数据库文件中有明文号码 {n}");

        // 2. The audit table, every text column.
        await using (var db = await host.Database.CreateDbContextAsync(Ct))
        {
            var audit = await db.AuditEntries.AsNoTracking().ToListAsync(Ct);
            Assert.Contains(audit, a => a.Action == AuditActions.Reveal);
            Assert.Contains(audit, a => a.Action == LedgerImportService.AuditAction);
            Assert.Contains(audit, a => a.Entity == nameof(Petitioner) && a.Action == AuditActions.Create);
            foreach (var a in audit)
            foreach (var text in new[] { a.OldValue, a.NewValue, a.Detail, a.EntityKey, a.CaseNumber, a.Field, a.Actor, a.Entity })
            foreach (var n in Numbers)
                Assert.False(text?.Contains(n, StringComparison.Ordinal) == true, $"审计记录 {a.Entity}.{a.Field}（{a.Action}）含明文号码 {n}：{text}");
        }

        // 3. The host's log, SQL included.
        var logged = string.Join("\n", logs.Messages);
        Assert.Contains("Petitioners", logged); // not vacuous: the statements that wrote the people are in it
        foreach (var n in Numbers)
            Assert.False(logged.Contains(n, StringComparison.Ordinal), $"日志中有明文号码 {n}");
    }

    private sealed class LogCapture : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

        public void Dispose() { }

        private sealed class Logger(string category, ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                messages.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue($"{category} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
    }
}
