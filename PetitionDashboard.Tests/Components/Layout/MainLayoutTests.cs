using System.Collections.Concurrent;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PetitionDashboard.Components.Layout;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Components.Layout;

/// <summary>The layout's error boundary: what no page handles ends in a Chinese message and a retry, never a dead circuit.</summary>
public sealed class MainLayoutTests : ComponentTestContext
{
    private readonly CapturingLoggerProvider _logs = new();

    public MainLayoutTests()
    {
        Services.AddLogging(b => b.AddProvider(_logs));
        AddAuthorization();
        // The layout's next-year calendar notice reads the calendar and today.
        Services.AddSingleton(new PetitionDashboard.Data.CalendarStore(
            Microsoft.Extensions.Options.Options.Create(new PetitionDashboard.Data.CalendarOptions { Folder = TestRules.NoAdminCalendars })));
        Services.AddSingleton<TimeProvider>(TestClock.AtShanghai(2026, 11, 23, 10));
        // The layout shows whether the circuit is interactive (browser tests wait for it).
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void UnexpectedError_ShowsTheChineseMessageAndRetry_AndRetryBringsThePageBack()
    {
        var cut = RenderLayoutWith(new InvalidOperationException("张三 110101199003071234 的记录无法保存"));

        cut.Find("#faulty-save").Click();

        var error = cut.Find("#page-error");
        Assert.Contains("操作未完成：系统出现意外错误，已记录。", error.TextContent);
        Assert.Empty(cut.FindAll("#faulty-save"));
        Assert.DoesNotContain("110101199003071234", cut.Markup);

        cut.Find("#page-error-retry").Click();

        Assert.Empty(cut.FindAll("#page-error"));
        Assert.Single(cut.FindAll("#faulty-save"));
    }

    [Fact]
    public void UnexpectedError_IsLoggedByTypeWithoutItsMessage()
    {
        var cut = RenderLayoutWith(new InvalidOperationException("张三 110101199003071234 的记录无法保存"));

        cut.Find("#faulty-save").Click();

        var logged = Assert.Single(_logs.Messages, m => m.Level == LogLevel.Error && m.Category == typeof(PageErrorBoundary).FullName);
        Assert.Contains(nameof(InvalidOperationException), logged.Text);
        Assert.DoesNotContain("110101199003071234", logged.Text);
        Assert.DoesNotContain("张三", logged.Text);
    }

    [Fact]
    public void ConcurrencyConflict_NobodyHandled_LandsAsAReadableMessage()
    {
        var cut = RenderLayoutWith(new DbUpdateConcurrencyException("The database operation was expected to affect 1 row(s)"));

        cut.Find("#faulty-save").Click();

        Assert.Contains("数据已被他人修改，请刷新后重试。", cut.Find("#page-error").TextContent);
        Assert.DoesNotContain("expected to affect", cut.Markup);
        Assert.Single(cut.FindAll("#page-error-retry"));
    }

    private IRenderedComponent<MainLayout> RenderLayoutWith(Exception thrown) =>
        Render<MainLayout>(p => p.Add(l => l.Body, b =>
        {
            b.OpenComponent<FaultyPage>(0);
            b.AddComponentParameter(1, nameof(FaultyPage.Throws), thrown);
            b.CloseComponent();
        }));

    /// <summary>A page whose save button fails with an exception no page code catches.</summary>
    private sealed class FaultyPage : ComponentBase
    {
        [Parameter] public Exception Throws { get; set; } = default!;

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "id", "faulty-save");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => throw Throws));
            builder.AddContent(3, "保存");
            builder.CloseElement();
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, LogLevel Level, string Text)> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Messages.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
        }
    }
}
