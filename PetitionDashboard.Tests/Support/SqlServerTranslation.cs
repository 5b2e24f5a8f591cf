using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PetitionDashboard.Data;

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// SQL Server cannot run on these machines, so its queries are checked by translation: a SqlServerDbContext whose
/// connection is never opened and whose commands answer with no rows, recording the SQL EF sends. A service run against
/// it fails if EF cannot translate one of its queries (EF translates before it executes). The run stops, without
/// failing, at the first query that needs a row to go on (a bare COUNT answers 0): the SQL up to there is recorded.
/// </summary>
public sealed class SqlServerTranslation : IDbContextFactory<AppDbContext>
{
    private readonly Recorder _recorder = new();

    public IReadOnlyList<string> Commands => _recorder.Commands;

    public AppDbContext CreateDbContext() => new SqlServerDbContext(new DbContextOptionsBuilder<SqlServerDbContext>()
        .UseSqlServer("Server=127.0.0.1;Database=pd;User Id=x;Password=y;TrustServerCertificate=True")
        .AddInterceptors(_recorder).Options);

    /// <summary>Runs <paramref name="action"/>; a query EF cannot translate fails the test, an empty answer ends it.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(Func<Task> action)
    {
        try { await action(); }
        catch (InvalidOperationException e) when (!e.Message.Contains("could not be translated", StringComparison.Ordinal)
                                                  && !e.Message.Contains("client evaluation", StringComparison.OrdinalIgnoreCase)) { }
        catch (NullReferenceException) { }
        Assert.NotEmpty(Commands);
        return Commands;
    }

    private sealed class Recorder : DbCommandInterceptor, IDbConnectionInterceptor
    {
        public List<string> Commands { get; } = [];

        public ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default) => ValueTask.FromResult(InterceptionResult.Suppress());

        public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            ValueTask.FromResult(InterceptionResult.Suppress());

        public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
            InterceptionResult.Suppress();

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            // A bare COUNT answers 0, so that the page query after it is translated too; everything else has no rows.
            var answer = new DataTable();
            if (command.CommandText.StartsWith("SELECT COUNT(*)\n", StringComparison.Ordinal))
            {
                answer.Columns.Add("c", typeof(int));
                answer.Rows.Add(0);
            }
            return ValueTask.FromResult(InterceptionResult<DbDataReader>.SuppressWithResult(answer.CreateDataReader()));
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            return ValueTask.FromResult(InterceptionResult<int>.SuppressWithResult(0));
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(command.CommandText);
            return ValueTask.FromResult(InterceptionResult<object>.SuppressWithResult(0));
        }
    }
}
