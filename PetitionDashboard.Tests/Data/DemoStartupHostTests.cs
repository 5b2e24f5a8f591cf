using PetitionDashboard.Domain;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PetitionDashboard.Data;
using PetitionDashboard.Tests.Browser;

namespace PetitionDashboard.Tests.Data;

/// <summary>
/// Demo only on purpose (issue 13): the real app started on an empty database, as Production and as Development, without
/// any Demo:Enabled setting. Production starts empty and its log says how to create the administrator; Development loads
/// the demo city and prints the demo accounts on the console — their passwords never reach a log.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class DemoStartupHostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Production_EmptyDatabase_StartsEmpty_AndItsLogSaysHowToCreateTheAdministrator()
    {
        await using var app = new EmptyDatabaseApp("Production");

        var console = app.Start();

        await using var db = app.CreateDbContext();
        Assert.Equal(0, await db.Petitions.CountAsync(Ct));
        Assert.Equal(0, await db.Units.CountAsync(Ct));
        Assert.Equal(0, await db.Users.CountAsync(Ct));
        Assert.DoesNotContain("演示账户", console);
        Assert.Contains(app.Logs, l => l.Level == LogLevel.Warning && l.Text.Contains("create-admin（"));
        Assert.Contains(app.Logs, l => l.Text.Contains("未设置 Demo:Enabled：不加载演示数据"));
    }

    [Fact]
    public async Task Development_EmptyDatabase_LoadsTheDemo_AndPrintsItsAccountsOnTheConsoleOnly()
    {
        await using var app = new EmptyDatabaseApp("Development");

        var console = app.Start();

        await using var db = app.CreateDbContext();
        Assert.Equal(200, await db.Petitions.CountAsync(Ct));
        // One demo account per role: three business roles and the three separated administrators.
        Assert.Equal(Roles.All.Count, await db.Users.CountAsync(Ct));
        var passwords = PasswordLine().Matches(console).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Roles.All.Count, passwords.Count);
        Assert.NotEmpty(app.Logs);
        Assert.DoesNotContain(app.Logs, l => passwords.Any(p => l.Text.Contains(p)));
        Assert.DoesNotContain(app.Logs, l => l.Text.Contains("create-admin"));
    }

    [GeneratedRegex(@"用户名 \S+\s+密码 (\S+)")]
    private static partial Regex PasswordLine();

    /// <summary>The app on a fresh SQLite file, in <paramref name="environment"/>, its logs captured; no Demo:Enabled given.</summary>
    private sealed class EmptyDatabaseApp(string environment) : WebApplicationFactory<Program>
    {
        private readonly string _path = Path.Combine(Path.GetTempPath(), $"pd-demo-start-{Guid.NewGuid():N}.db");
        private readonly LogCapture _logs = new();

        public IReadOnlyCollection<(LogLevel Level, string Text)> Logs => _logs.Messages;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:ConnectionString", new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
            builder.UseSetting("Demo:Petitions", "200");
            builder.UseSetting("Jobs:RunServer", "false");
            builder.UseSetting("Calendar:Folder", Path.Combine(Path.GetTempPath(), "pd-no-admin-calendars"));
            builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(_logs));
        }

        /// <summary>Starts the app (database initialized, demo loaded or not) and returns what it printed on the console.</summary>
        public string Start()
        {
            var original = Console.Out;
            var console = new StringWriter();
            Console.SetOut(TextWriter.Synchronized(console));
            try
            {
                _ = Services; // builds and starts the host: AppStart initializes the database first
            }
            finally
            {
                Console.SetOut(original);
            }
            return console.ToString();
        }

        public AppDbContext CreateDbContext() => Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
                if (File.Exists(_path + suffix)) File.Delete(_path + suffix);
        }
    }

    private sealed class LogCapture : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel, string)> _messages = new();

        public IReadOnlyCollection<(LogLevel Level, string Text)> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Logger(_messages);

        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string)> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
