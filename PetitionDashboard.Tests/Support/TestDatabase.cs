using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PetitionDashboard.Data;

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// A real SQLite database in a temporary file, created by the app's own migrations; deleted on dispose.
/// </summary>
public sealed class TestDatabase : IDbContextFactory<AppDbContext>, IAsyncDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"pd-test-{Guid.NewGuid():N}.db");
    private IInterceptor[] _interceptors = [];

    public string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString();

    /// <param name="interceptors">e.g. the app's AuditInterceptor, for tests of what the audit trail records.</param>
    public static async Task<TestDatabase> CreateAsync(params IInterceptor[] interceptors)
    {
        var db = new TestDatabase { _interceptors = interceptors };
        await ((IDbContextFactory<AppDbContext>)db).MigrateAsync();
        return db;
    }

    public AppDbContext CreateDbContext() =>
        new SqliteDbContext(new DbContextOptionsBuilder<SqliteDbContext>().UseSqlite(ConnectionString).AddInterceptors(_interceptors).Options);

    public Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(CreateDbContext());

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            if (File.Exists(_path + suffix)) File.Delete(_path + suffix);
        return ValueTask.CompletedTask;
    }
}
