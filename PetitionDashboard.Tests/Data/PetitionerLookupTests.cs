using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// Petitioners are found by identity key through the index on the key's last characters (<see cref="PetitionerLookup"/>,
/// issue 12 goal 8): the database computes the same tail as the app for every kind of key, a lookup finds exactly the
/// petitioners whose whole key was asked for — not others that share its tail — and it reads that index.
/// </summary>
public class PetitionerLookupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Stored keys of each kind (hashed "ID:" and "NP:", "NK:" for a person without identity), then keys an earlier version
    // left in clear until start-up re-hashes them: Chinese, characters outside the BMP at the end (a tail counts code points,
    // not UTF-16 units), and keys shorter than a tail.
    private static readonly string[] Keys =
    [
        "ID:k20261201074538:4_61HwUYhN_WDYZgiQX6lCsmQv2HtWFoZbpFrOZ2gVY",
        "NP:k20261201074538:yhaJm10l0YtSMV3q3OQU4OigIq1qHszxyWJJnAqxG9w",
        "NK:0123456789abcdef0123456789abcdef",
        "NP:王芳|13800138000",
        "NP:张𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉|",
        "NP:李",
        "ab",
    ];

    // Three stored keys with one tail: only the ones asked for may come back.
    private static readonly string[] SameTail =
        ["ID:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + "Tail-Shared", "ID:k1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB" + "Tail-Shared", "ID:k2:CC" + "Tail-Shared"];

    private static async Task<TestDatabase> WithPetitionersAsync()
    {
        var db = await TestDatabase.CreateAsync();
        await using var ctx = await db.CreateDbContextAsync(Ct);
        ctx.Petitioners.AddRange(Keys.Concat(SameTail).Select(k => new Petitioner { Name = "某", IdentityKey = k }));
        await ctx.SaveChangesAsync(Ct);
        return db;
    }

    [Fact]
    public async Task TheDatabasesTail_IsTheAppsTail_ForEveryKindOfKey()
    {
        await using var db = await WithPetitionersAsync();
        await using var ctx = await db.CreateDbContextAsync(Ct);
        var stored = await ctx.Petitioners.AsNoTracking().Select(p => new { p.IdentityKey, p.IdentityTail }).ToListAsync(Ct);

        Assert.Equal(Keys.Length + SameTail.Length, stored.Count);
        foreach (var s in stored) Assert.Equal(PetitionerLookup.Tail(s.IdentityKey), s.IdentityTail);
        Assert.Equal("ZbpFrOZ2gVY", PetitionerLookup.Tail(Keys[0]));
        Assert.Equal("𠀀𠀁𠀂𠀃𠀄𠀅𠀆𠀇𠀈𠀉|", PetitionerLookup.Tail(Keys[4])); // 11 code points, 21 UTF-16 units
        Assert.Equal("ab", PetitionerLookup.Tail("ab"));
    }

    [Fact]
    public async Task WithIdentityKeys_FindsExactlyTheWholeKeysAskedFor()
    {
        await using var db = await WithPetitionersAsync();
        await using var ctx = await db.CreateDbContextAsync(Ct);
        async Task<string[]> Found(params string[] keys) =>
            [.. (await ctx.Petitioners.AsNoTracking().WithIdentityKeys(keys).Select(p => p.IdentityKey).ToListAsync(Ct)).Order(StringComparer.Ordinal)];

        Assert.Equal([SameTail[1]], await Found(SameTail[1], "ID:k9:" + "not-stored-" + "Tail-Shared"));
        Assert.Equal(new[] { SameTail[0], SameTail[2] }.Order(StringComparer.Ordinal), await Found(SameTail[2], SameTail[0], SameTail[0]));
        foreach (var key in Keys) Assert.Equal([key], await Found(key));
        Assert.Empty(await Found("NP:王芳|13800138001"));
        Assert.Empty(await Found());
    }

    [Fact]
    public async Task ALookup_ReadsTheIndexOnTheTail()
    {
        await using var db = await WithPetitionersAsync();
        await using var ctx = await db.CreateDbContextAsync(Ct);
        await ctx.Database.OpenConnectionAsync(Ct);
        var postgres = db.Provider == DatabaseProvider.PostgreSql;
        if (postgres) await ctx.Database.ExecuteSqlRawAsync("SET enable_seqscan = off", Ct); // a table this small is read whole otherwise

        await using var command = ctx.Petitioners.WithIdentityKeys([Keys[0], Keys[3]]).CreateDbCommand();
        command.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + command.CommandText;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(Ct))
            while (await reader.ReadAsync(Ct)) plan.Add(reader.GetString(reader.FieldCount - 1));

        Assert.Contains(plan, line => line.Contains("IX_Petitioners_IdentityTail", StringComparison.Ordinal));
    }
}

public sealed class PetitionerLookupPostgresTests : PetitionerLookupTests, IRunsOnPostgres;
