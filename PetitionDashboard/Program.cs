using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using PetitionDashboard.Components;
using PetitionDashboard.Components.Localization;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Calendar;
using PetitionDashboard.Features.Jobs;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Backlog;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Features.Repeats;

var builder = WebApplication.CreateBuilder(args);

// UI: Blazor Server, MudBlazor, zh-CN everywhere.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddChineseLocalization();

// Data and features.
builder.Services.AddPetitionData(builder.Configuration);
builder.Services.AddCalendarFeature();
builder.Services.AddSupervision();
builder.AddAccounts();

// Jobs: Hangfire storage per provider, the server (Jobs:RunServer), recurring jobs.
builder.Services.AddPetitionJobs(builder.Configuration);
builder.Services.AddBacklog().AddCases();
builder.Services.AddStatistics(builder.Configuration);
builder.Services.AddRepeatsFeature();

var app = builder.Build();

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
app.UsePetitionJobs();

// Start-up.
await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().MigrateAsync();
await app.Services.EnsureRolesAsync();
app.MapStatisticsJobs();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
