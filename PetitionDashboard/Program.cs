using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using PetitionDashboard.CommandLine;
using PetitionDashboard.Components;
using PetitionDashboard.Components.Localization;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Calendar;
using PetitionDashboard.Features.Jobs;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Features.Reports;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Data.Demo;
using PetitionDashboard.Features.Repeats;

var builder = WebApplication.CreateBuilder(CommandLineCommands.HostArguments(args));

// UI: Blazor Server, MudBlazor, zh-CN everywhere.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddChineseLocalization();

// Data and features.
builder.Services.AddPetitionData(builder.Configuration);
builder.Services.AddCalendarFeature();
builder.Services.AddSupervision();
builder.Services.AddAssignments();
builder.AddAccounts();

// Jobs: Hangfire storage per provider, the server (Jobs:RunServer), recurring jobs.
builder.Services.AddPetitionJobs(builder.Configuration);
builder.Services.AddBacklog().AddCases();
builder.Services.AddStatistics(builder.Configuration);
builder.Services.AddRepeatsFeature();
builder.Services.AddReportsAndImport(builder.Configuration);
builder.Services.AddDemoData(builder.Configuration);
builder.AddCommandLineCommands(args);

var app = builder.Build();

// A command line like `-- generate-demo --petitions 1000` runs that command with the app's services, not the web app.
if (CommandLineCommands.IsCommand(args)) return await CommandLineCommands.RunAsync(app.Services, args);

// Pipeline.
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseChineseCulture();
app.UseAccountSecurity();
app.UseAntiforgery();

// Endpoints.
app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.MapAccountEndpoints();
app.MapReportsAndImport();
app.UsePetitionJobs();

// Start-up.
await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().MigrateAsync();
await app.Services.EnsureRolesAsync();
app.MapStatisticsJobs();
if (await app.Services.GetRequiredService<DemoDataLoader>().LoadIfEmptyAsync())
{
    // Demo accounts exist only with demo data; their passwords are generated now and shown once, on the console.
    DemoAccounts.Print(await DemoAccounts.EnsureAsync(app.Services), Console.Out);
    // Figures for the demo's past weeks, computed in the background like the Monday job, so the page is not empty.
    app.Services.GetRequiredService<RecomputeCoordinator>().Request(new AccessGuard(FixedCurrentUser.System));
}

app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
