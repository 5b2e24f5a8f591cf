using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Infrastructure.Progress;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// What runs over every row (issue 13 item 5): rotation re-encrypts and re-hashes in batches, resumably and
/// idempotently, and every row stays readable and findable; the start-up step encrypts rows an earlier version wrote in clear;
/// Development makes a private local key file; Production will not start without a key.
/// </summary>
public class PersonalDataRotationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"pd-keys-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string KeyFile => Path.Combine(_folder, "keys.json");

    /// <summary>(name, 身份证号, phone): by ID, by ID with a phone, by name + phone, and one without any identity.</summary>
    private static readonly (string Name, string? Id, string? Phone)[] People =
    [
        ("张三", "110101199003071234", "13812345678"), ("李四", "36100219920808006X", null), ("王五", null, "13900001111"),
        ("赵六", "361102198001011236", "13600003333"), ("钱七", null, "13700002222"), ("孙八", "361102199003154569", null),
        ("无名", null, null),
    ];

    [Fact]
    public async Task RotateKeys_ReEncryptsAndReHashesEveryRow_InBatches_ResumesAfterAnInterruption_AndKeepsEveryRowReadable()
    {
        PersonalDataKeyRing.AddKey(KeyFile);
        var before = TestPersonalData.ProtectorFor(KeyFile);
        await using var db = await TestDatabase.CreateAsync(new AuditInterceptor(new AuditActorAccessor(), TimeProvider.System, before));
        await using (var ctx = await db.CreateDbContextAsync(Ct))
        {
            ctx.Petitioners.AddRange(People.Select(p => before.NewPetitioner(p.Name, p.Id, p.Phone, null, PetitionerIdentity.Key(p.Name, p.Id, p.Phone))));
            await ctx.SaveChangesAsync(Ct);
        }

        var oldKey = before.CurrentKeyId;
        PersonalDataKeyRing.AddKey(KeyFile);
        var after = TestPersonalData.ProtectorFor(KeyFile);
        Assert.NotEqual(oldKey, after.CurrentKeyId);
        var rewrap = Rewrap(db, after, batchSize: 2);
        const int withPersonalData = 6; // the person without identity has nothing to re-encrypt
        Assert.Equal(withPersonalData, await rewrap.RemainingAsync(Ct));

        // Interrupted after its first batch (a crash, a Ctrl+C): that batch is committed, the rest is still to do.
        var interrupted = new InlineProgress<RewrapProgress>(p => { if (p.Done > 0) throw new OperationCanceledException("中断"); });
        await Assert.ThrowsAsync<OperationCanceledException>(() => rewrap.RotateAsync(interrupted, Ct));
        Assert.Equal(withPersonalData - 2, await rewrap.RemainingAsync(Ct));
        // Half-way, everybody is still found by their identity (old and new hashes are both looked up) and readable.
        await AssertEveryoneFoundAndReadableAsync(db, after);

        var reported = new List<RewrapProgress>();
        Assert.Equal(withPersonalData - 2, await rewrap.RotateAsync(new InlineProgress<RewrapProgress>(reported.Add), Ct));
        Assert.Equal(new RewrapProgress(withPersonalData - 2, withPersonalData - 2), reported[^1]);
        Assert.Equal(0, await rewrap.RemainingAsync(Ct));
        Assert.Equal(0, await rewrap.RotateAsync(null, Ct)); // idempotent: nothing left, nothing done twice

        // The old key can go: the new one alone reads every number and finds every person.
        var ring = TestPersonalData.Ring(KeyFile);
        var newOnly = new PersonalDataProtector(new PersonalDataKeyRing([ring.Current], ring.Current.Id));
        await AssertEveryoneFoundAndReadableAsync(db, newOnly);
        await using (var ctx = await db.CreateDbContextAsync(Ct))
        {
            var rows = await ctx.Petitioners.AsNoTracking().ToListAsync(Ct);
            Assert.All(rows.Where(r => r.IdNumber is not null), r => Assert.StartsWith(after.CurrentKeyId + ":", r.IdNumber));
            Assert.All(rows.Where(r => r.Phone is not null), r => Assert.StartsWith(after.CurrentKeyId + ":", r.Phone));
            // One audit entry for the run, none per re-encrypted field (nobody changed a petitioner).
            var audit = await ctx.AuditEntries.AsNoTracking().Where(a => a.Entity == nameof(Petitioner)).ToListAsync(Ct);
            Assert.DoesNotContain(audit, a => a.Action == AuditActions.Update);
            Assert.Contains(audit, a => a.Action == PersonalDataRewrap.AuditAction);
        }
    }

    /// <summary>Issue 12: at a million petitioners the start-up step's "anything left in clear?" was a full scan at every start.</summary>
    [Fact]
    public async Task StartUpStep_OnceNothingIsLeftInClear_LaterStartsReadItsMarker_NotThePetitioners()
    {
        PersonalDataKeyRing.AddKey(KeyFile);
        var protector = TestPersonalData.ProtectorFor(KeyFile);
        await using var db = await TestDatabase.CreateAsync();
        var rewrap = Rewrap(db, protector, batchSize: 4);
        async Task<bool> MarkedAsync()
        {
            await using var ctx = await db.CreateDbContextAsync(Ct);
            return await ctx.MaintenanceMarkers.AnyAsync(m => m.Name == MaintenanceMarker.PersonalDataProtected, Ct);
        }

        Assert.False(await MarkedAsync());
        Assert.Equal(0, await rewrap.ProtectClearRowsAsync(Ct));
        Assert.True(await MarkedAsync());

        // A clear row (which this version never writes) shows whether the rows are read: with the marker they are not.
        await using (var ctx = await db.CreateDbContextAsync(Ct))
        {
            ctx.Petitioners.Add(new Petitioner { Name = "张三", IdNumber = "110101199003071234", IdentityKey = "ID:110101199003071234" });
            await ctx.SaveChangesAsync(Ct);
        }
        Assert.Equal(0, await rewrap.ProtectClearRowsAsync(Ct));

        // Without the marker (a database upgraded from before encryption) they are scanned, encrypted, and the marker set.
        await using (var ctx = await db.CreateDbContextAsync(Ct))
            await ctx.MaintenanceMarkers.Where(m => m.Name == MaintenanceMarker.PersonalDataProtected).ExecuteDeleteAsync(Ct);
        Assert.Equal(1, await rewrap.ProtectClearRowsAsync(Ct));
        Assert.True(await MarkedAsync());
        await using var check = await db.CreateDbContextAsync(Ct);
        Assert.DoesNotContain("110101199003071234", (await check.Petitioners.AsNoTracking().SingleAsync(Ct)).IdNumber ?? "");
    }

    [Fact]
    public async Task StartUpStep_EncryptsRowsAnEarlierVersionWroteInClear_AndTheyAreStillFound()
    {
        PersonalDataKeyRing.AddKey(KeyFile);
        var protector = TestPersonalData.ProtectorFor(KeyFile);
        await using var db = await TestDatabase.CreateAsync();
        await using (var ctx = await db.CreateDbContextAsync(Ct))
        {
            // What the version before encryption stored: clear numbers, clear identity keys.
            ctx.Petitioners.AddRange(People.Select(p => new Petitioner
            {
                Name = p.Name, IdNumber = p.Id, Phone = p.Phone,
                IdentityKey = PetitionerIdentity.Key(p.Name, p.Id, p.Phone) ?? "NK:" + Guid.NewGuid().ToString("N"),
            }));
            await ctx.SaveChangesAsync(Ct);
        }

        var rewrap = Rewrap(db, protector, batchSize: 4);
        Assert.Equal(6, await rewrap.ProtectClearRowsAsync(Ct));
        Assert.Equal(0, await rewrap.ProtectClearRowsAsync(Ct));

        await AssertEveryoneFoundAndReadableAsync(db, protector);
        if (db.Provider == PetitionDashboard.Data.DatabaseProvider.Sqlite)
        {
            // Residual information: the clear values are gone from the file itself, free pages and log included.
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
            var bytes = File.ReadAllBytes(file).Concat(File.Exists(file + "-wal") ? File.ReadAllBytes(file + "-wal") : []).ToArray();
            foreach (var n in People.SelectMany(p => new[] { p.Id, p.Phone }).OfType<string>())
                Assert.True(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(n)) < 0, $"数据库文件中仍有明文 {n}");
        }
        await using var check = await db.CreateDbContextAsync(Ct);
        foreach (var r in await check.Petitioners.AsNoTracking().ToListAsync(Ct))
        foreach (var p in People)
        {
            Assert.DoesNotContain(p.Id ?? "∅", (r.IdNumber ?? "") + (r.Phone ?? "") + r.IdentityKey + (r.IdentitySource ?? ""));
            Assert.DoesNotContain(p.Phone ?? "∅", (r.IdNumber ?? "") + (r.Phone ?? "") + r.IdentityKey + (r.IdentitySource ?? ""));
        }
    }

    private static PersonalDataRewrap Rewrap(TestDatabase db, PersonalDataProtector protector, int batchSize) => new(
        db, protector, Options.Create(new PersonalDataOptions { RotationBatchSize = batchSize }), new AuditActorAccessor(),
        TimeProvider.System, NullLogger<PersonalDataRewrap>.Instance);

    private static async Task AssertEveryoneFoundAndReadableAsync(TestDatabase db, PersonalDataProtector protector)
    {
        await using var ctx = await db.CreateDbContextAsync(Ct);
        foreach (var p in People.Where(p => PetitionerIdentity.Key(p.Name, p.Id, p.Phone) is not null))
        {
            var keys = protector.LookupKeys([PetitionerIdentity.Key(p.Name, p.Id, p.Phone)!]);
            var row = await ctx.Petitioners.AsNoTracking().SingleAsync(x => keys.Contains(x.IdentityKey), Ct);
            Assert.Equal((p.Name, p.Id, p.Phone), (row.Name, protector.Reveal(row.IdNumber), protector.Reveal(row.Phone)));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}

public sealed class PersonalDataRotationPostgresTests : PersonalDataRotationTests, IRunsOnPostgres;

/// <summary>Where the keys come from: a private local file in Development, a refusal in Production; what they do to values.</summary>
public sealed class PersonalDataKeyRingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"pd-keys-{Guid.NewGuid():N}");

    private string KeyFile => Path.Combine(_folder, "keys.json");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Development_WithoutAConfiguredKey_CreatesALocalKeyFile_OnlyItsUserMayRead_AndKeepsUsingIt()
    {
        var environment = new HostingEnvironment { EnvironmentName = Environments.Development, ContentRootPath = _folder };

        var first = PersonalDataKeyRing.Load(new PersonalDataOptions(), environment);
        var second = PersonalDataKeyRing.Load(new PersonalDataOptions(), environment);

        var file = Path.Combine(_folder, "data", "keys", "personal-data-keys.json");
        Assert.True(File.Exists(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(first.Current.Id, second.Current.Id);
        Assert.Equal(first.Current.Encryption, second.Current.Encryption);
    }

    [Fact]
    public void Production_WithoutAKey_IsRefused_WithAChineseMessageSayingHowToCreateOne()
    {
        var environment = new HostingEnvironment { EnvironmentName = Environments.Production, ContentRootPath = _folder };

        var refused = Assert.Throws<OptionsValidationException>(() => PersonalDataKeyRing.Load(new PersonalDataOptions(), environment));

        var message = Assert.Single(refused.Failures);
        Assert.Contains("create-key --file", message);
        Assert.Contains("PersonalData:KeyFile", message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")), "生产环境不得自行生成密钥");
    }

    [Fact]
    public async Task TheWebAppInProduction_WithoutAKey_ExitsWithTheMessage_BeforeOpeningTheDatabase()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pd-never-{Guid.NewGuid():N}.db");
        var run = await AppProcess.RunAsync([], new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = $"Data Source={file}", [TestPersonalData.Variable] = "",
        });

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("create-key --file", run.Error + run.Out);
        Assert.DoesNotContain("   at ", run.Error + run.Out);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void TheSameIdentity_HashesAlike_UnderOneKey_AndDifferently_UnderAnother_WhileTheNumbersNeverRepeatTheirCiphertext()
    {
        PersonalDataKeyRing.AddKey(KeyFile);
        var one = TestPersonalData.ProtectorFor(KeyFile);
        var other = TestPersonalData.Protector;

        Assert.Equal(one.IdentityKey("ID:110101199003071234"), one.IdentityKey("ID:110101199003071234"));
        Assert.NotEqual(one.IdentityKey("ID:110101199003071234"), other.IdentityKey("ID:110101199003071234"));
        Assert.StartsWith("ID:" + one.CurrentKeyId + ":", one.IdentityKey("ID:110101199003071234"));
        Assert.StartsWith("NP:", one.IdentityKey("NP:张三|13812345678"));
        Assert.DoesNotContain("13812345678", one.IdentityKey("NP:张三|13812345678"));
        Assert.NotEqual(one.Protect("13812345678"), one.Protect("13812345678"));
        Assert.Equal("13812345678", one.Reveal(one.Protect("13812345678")));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => other.Reveal(one.Protect("13812345678")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
