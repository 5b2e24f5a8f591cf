using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Instructions;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Backlog;

/// <summary>What the home page (<c>BacklogPage</c>) needs in a bUnit context, in one place for every test class that renders it.</summary>
internal static class HomePageServices
{
    /// <summary>
    /// The test database and the test data's rules and clock, a signed-in 局领导, the page's service and its 超期未反馈批示
    /// card's service. <paramref name="ownsDatabase"/>: the context's container owns the database, so disposing the context
    /// deletes the file; false for a database several contexts share (the circuits of one node), disposed by the test.
    /// </summary>
    public static void AddHomePage(this BunitContext context, TestDatabase db, TestData data, bool ownsDatabase = true)
    {
        var services = context.Services;
        services.AddSingleton(data.Deadlines);
        services.AddSingleton<TimeProvider>(data.Clock());
        // A factory registration is owned (disposed) by the container; an instance registration is not.
        if (ownsDatabase) services.AddSingleton<IDbContextFactory<AppDbContext>>(_ => db);
        else services.AddSingleton<IDbContextFactory<AppDbContext>>(db);
        context.SignIn(Roles.Leader);
        services.AddScoped<BacklogService>();
        services.AddOptions().AddScoped<InstructionService>();
    }
}
