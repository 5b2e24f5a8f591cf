using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using PetitionDashboard.Components;
using PetitionDashboard.Components.Localization;
using PetitionDashboard.Data;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Calendar;
using PetitionDashboard.Features.Jobs;
using PetitionDashboard.Features.Supervision;

var builder = WebApplication.CreateBuilder(args);

// UI: Blazor Server, MudBlazor, zh-CN everywhere.
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddChineseLocalization();

// Data and features.
builder.Services.AddPetitionData(builder.Configuration);
builder.Services.AddCalendarFeature();
builder.Services.AddSupervision();
builder.Services.AddAssignments();

// Jobs: Hangfire storage per provider, the server (Jobs:RunServer), recurring jobs.
builder.Services.AddPetitionJobs(builder.Configuration);

var app = builder.Build();

// Pipeline.
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseChineseCulture();
app.UseAntiforgery();

// Endpoints.
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.UsePetitionJobs();

// Start-up.
await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().MigrateAsync();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
