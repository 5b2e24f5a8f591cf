using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using PetitionDashboard.Data;
using Xunit.v3;

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// Marks a test class whose databases are PostgreSQL: the class derives from a SQLite test class and runs all of its
/// tests again on a real server (<c>public sealed class FooPostgresTests : FooTests, IRunsOnPostgres;</c>).
/// </summary>
public interface IRunsOnPostgres;

/// <summary>
/// A real, empty database created by the app's own migrations; dropped on dispose. SQLite: a temporary file.
/// PostgreSQL: a database of its own on the server test.sh starts (PD_TEST_POSTGRES), copied from a template that is
/// migrated once per test run, so that each test starts from the same empty schema without migrating again.
/// </summary>
public sealed class TestDatabase : IDbContextFactory<AppDbContext>, IAsyncDisposable
{
    public const string PostgresVariable = "PD_TEST_POSTGRES";

    private readonly string? _sqlitePath;
    private readonly string? _postgresName;
    private IInterceptor[] _interceptors = [];

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqlitePath, string? postgresName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqlitePath = sqlitePath;
        _postgresName = postgresName;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The provider of the running test: PostgreSQL in a class marked <see cref="IRunsOnPostgres"/>.</summary>
    public static DatabaseProvider CurrentProvider =>
        (TestContext.Current.TestClass as IXunitTestClass)?.Class is { } type && typeof(IRunsOnPostgres).IsAssignableFrom(type)
            ? DatabaseProvider.PostgreSql
            : DatabaseProvider.Sqlite;

    /// <param name="interceptors">e.g. the app's AuditInterceptor, for tests of what the audit trail records.</param>
    public static Task<TestDatabase> CreateAsync(params IInterceptor[] interceptors) => CreateAsync(CurrentProvider, interceptors);

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, params IInterceptor[] interceptors)
    {
        TestDatabase db;
        if (provider == DatabaseProvider.PostgreSql)
        {
            var name = $"pd_test_{Guid.NewGuid():N}";
            await PostgresServer.CreateDatabaseAsync(name);
            db = new TestDatabase(provider, PostgresServer.ConnectionString(name), null, name);
        }
        else
        {
            var path = Path.Combine(Path.GetTempPath(), $"pd-test-{Guid.NewGuid():N}.db");
            db = new TestDatabase(provider, new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString(), path, null);
            await ((IDbContextFactory<AppDbContext>)db).MigrateAsync();
        }
        db._interceptors = interceptors;
        return db;
    }

    public AppDbContext CreateDbContext() => CreateDbContext(_interceptors);

    /// <summary>A context with other interceptors than the database's own (e.g. one that races a second user).</summary>
    public AppDbContext CreateDbContext(params IInterceptor[] interceptors) => Provider == DatabaseProvider.PostgreSql
        ? new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(ConnectionString).AddInterceptors(interceptors).Options)
        : new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(ConnectionString, DataServices.SqliteProviderOptions).AddInterceptors(interceptors).Options);

    public Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(CreateDbContext());

    public async ValueTask DisposeAsync()
    {
        if (_postgresName is not null)
        {
            await PostgresServer.DropDatabaseAsync(_postgresName, ConnectionString);
            return;
        }
        SqliteConnection.ClearAllPools();
        // A host on this database kept its Hangfire jobs in a file beside it (JobsFeature.SqliteJobFile).
        var jobs = Path.Combine(Path.GetDirectoryName(_sqlitePath!)!, Path.GetFileNameWithoutExtension(_sqlitePath) + "-jobs.db");
        foreach (var file in new[] { _sqlitePath!, jobs })
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            if (File.Exists(file + suffix)) File.Delete(file + suffix);
    }

    /// <summary>The PostgreSQL server of this test run and its migrated template database.</summary>
    private static class PostgresServer
    {
        private static readonly string TemplateName = $"pd_template_{Environment.ProcessId}_{Guid.NewGuid():N}";
        private static readonly SemaphoreSlim TemplateLock = new(1, 1);
        private static bool _templateReady;

        private static string ServerConnectionString =>
            Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException(
                    $"这是在 PostgreSQL 上运行的测试，但没有设置环境变量 {PostgresVariable}（测试用 PostgreSQL 的连接串）。" +
                    "请用 `bash test.sh` 运行测试：它会启动一个临时 PostgreSQL 并设置该变量。" +
                    $" (PostgreSQL variant: {PostgresVariable} is not set; run the suite with `bash test.sh`, which starts a throwaway server.)");

        public static string ConnectionString(string database) =>
            new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ToString();

        public static async Task CreateDatabaseAsync(string name)
        {
            await EnsureTemplateAsync();
            // CREATE DATABASE copies the template; PostgreSQL refuses two copies of one template at the same moment.
            await TemplateLock.WaitAsync();
            try { await ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateName}\""); }
            finally { TemplateLock.Release(); }
        }

        public static async Task DropDatabaseAsync(string name, string connectionString)
        {
            using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
            await ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }

        private static async Task EnsureTemplateAsync()
        {
            if (Volatile.Read(ref _templateReady)) return;
            await TemplateLock.WaitAsync();
            try
            {
                if (_templateReady) return;
                await ExecuteAsync($"CREATE DATABASE \"{TemplateName}\"");
                var connectionString = ConnectionString(TemplateName);
                await using (var db = new PostgresDbContext(new DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql(connectionString).Options))
                    await db.Database.MigrateAsync();
                // A template can be copied only while nobody is connected to it.
                using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                    ExecuteAsync($"DROP DATABASE IF EXISTS \"{TemplateName}\" WITH (FORCE)").GetAwaiter().GetResult();
                Volatile.Write(ref _templateReady, true);
            }
            finally { TemplateLock.Release(); }
        }

        private static async Task ExecuteAsync(string sql)
        {
            // The maintenance database, without pooling: these statements must not keep a session open.
            var builder = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ToString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
