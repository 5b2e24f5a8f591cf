using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>
/// Stored petitioners found by identity key (<see cref="Petitioner.IdentityKey"/>, in its stored form: a keyed hash,
/// <see cref="Protection.PersonalDataProtector.LookupKeys"/>). The index is on the key's last <see cref="TailLength"/>
/// characters (<see cref="Petitioner.IdentityTail"/>, computed by the database), not on the key: a stored key is 62
/// characters, mostly a prefix every key shares ("ID:" + the hashing key's id), so an index on the whole key was the largest
/// b-tree an import writes — at 1,000,000 petitioners 18,203 pages, nearly all of them touched by 50,000 new people in hash
/// order (27 % of the pages a 50,000-row import wrote, issue 12 goal 8; bench/README.md). Eleven characters of the hash
/// (66 bits) tell people apart as well for finding them; the whole key is then compared.
/// </summary>
public static class PetitionerLookup
{
    public const int TailLength = 11;

    /// <summary>The database's <see cref="Petitioner.IdentityTail"/> for a key: its last <see cref="TailLength"/> characters
    /// counted as code points (as SQLite's <c>substr</c> and PostgreSQL's <c>right</c> count them), the whole key when shorter.</summary>
    public static string Tail(string key)
    {
        var start = key.Length;
        for (var n = 0; n < TailLength && start > 0; n++)
        {
            start--;
            if (start > 0 && char.IsLowSurrogate(key[start]) && char.IsHighSurrogate(key[start - 1])) start--;
        }
        return key[start..];
    }

    /// <summary>The SQL of <see cref="Petitioner.IdentityTail"/> on this provider. Stored keys are ASCII (hashes, "NK:" + a
    /// GUID), where SQL Server's <c>RIGHT</c> (UTF-16 units) counts as the others do.</summary>
    public static string TailSql(DatabaseFacade database) =>
        database.IsNpgsql() ? $"right(\"IdentityKey\", {TailLength})"
        : database.IsSqlServer() ? $"RIGHT(\"IdentityKey\", {TailLength})"
        : $"substr(\"IdentityKey\", -{TailLength})";

    /// <summary>The petitioners whose identity key is one of <paramref name="keys"/> (stored forms): through the index on the
    /// tails, then the whole key.</summary>
    public static IQueryable<Petitioner> WithIdentityKeys(this IQueryable<Petitioner> petitioners, IEnumerable<string> keys)
    {
        var whole = keys.Distinct(StringComparer.Ordinal).ToList();
        var tails = whole.Select(Tail).Distinct(StringComparer.Ordinal).ToList();
        return petitioners.Where(p => tails.Contains(p.IdentityTail!) && whole.Contains(p.IdentityKey));
    }
}
