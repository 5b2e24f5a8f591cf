using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace PetitionDashboard.Data;

/// <summary>
/// PostgreSQL (and the servers that speak its protocol). Two differences from the other providers are settled here,
/// for the whole model, so that no query has to know it runs on PostgreSQL:
/// <list type="bullet">
/// <item>Every text column uses the "C" collation: names sort by code point, exactly as on SQLite, whatever locale the
/// cluster was initialised with (a server's default collation would make the order of Chinese names depend on the
/// machine; ICU pinyin collations are not available on every PostgreSQL-compatible server).</item>
/// <item>Every <see cref="DateTime"/> is a UTC instant (the model's columns are all <c>…Utc</c>); Npgsql maps them to
/// <c>timestamptz</c>, which refuses a DateTime whose Kind is not UTC, so an unspecified Kind is taken as UTC.</item>
/// </list>
/// </summary>
public sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AppDbContext(options)
{
    public const string TextCollation = "C";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<string>().UseCollation(TextCollation);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : DateTime.SpecifyKind(v, DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
