namespace PetitionDashboard.Data;

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>Section "Database" of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public string ConnectionString { get; set; } = "Data Source=data/petitions.db";
}
