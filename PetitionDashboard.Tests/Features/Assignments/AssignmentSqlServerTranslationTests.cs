using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Assignments;

namespace PetitionDashboard.Tests.Features.Assignments;

/// <summary>
/// The 包案 queries must run in SQL on SQL Server too (no server here: EF translates without connecting). A query EF
/// cannot translate throws here instead of in production.
/// </summary>
public sealed class AssignmentSqlServerTranslationTests
{
    private static readonly DateOnly Today = new(2026, 3, 21);

    private static SqlServerDbContext Context() => new(new DbContextOptionsBuilder<SqlServerDbContext>()
        .UseSqlServer("Server=127.0.0.1;Database=pd;Trusted_Connection=False;User Id=x;Password=y").Options);

    [Fact]
    public void Workload_GroupsByLeaderInSql()
    {
        using var db = Context();

        var sql = AssignmentService.WorkloadGroups(db, Today).ToQueryString();

        Assert.Contains("GROUP BY [l].[LeaderId]", sql);
        Assert.Contains("DATEDIFF", sql);
    }

    [Fact]
    public void LeaderList_OrdersAndPagesInSql()
    {
        using var db = Context();

        var sql = AssignmentService.PageQuery(db, new AssignmentListQuery(LeaderId: 1, Page: 2, PageSize: 25), Today, 5).ToQueryString();

        Assert.Contains("ORDER BY CASE", sql);
        Assert.Contains("OFFSET", sql);
    }
}
