using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using PetitionDashboard.Data.Audit;

namespace PetitionDashboard.Features.Account;

/// <summary>The signed-in user of the current circuit or HTTP request, for server-side checks.</summary>
public interface ICurrentUser
{
    ClaimsPrincipal Principal { get; }
    bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;
    /// <summary>The sign-in name (stable; what the audit trail records).</summary>
    string? UserName => IsAuthenticated ? Principal.Identity!.Name : null;
    string? DisplayName => Principal.FindFirstValue(AccountClaims.DisplayName) ?? UserName;
    /// <summary>The Leader record a Leader user stands for.</summary>
    int? LeaderId => int.TryParse(Principal.FindFirstValue(AccountClaims.LeaderId), out var id) ? id : null;
    bool IsInRole(string role) => IsAuthenticated && Principal.IsInRole(role);
    bool Allows(string policy) => Policies.Allows(Principal, policy);
}

public static class AccountClaims
{
    public const string DisplayName = "pd:display_name";
    public const string LeaderId = "pd:leader_id";
    /// <summary>The <see cref="Domain.UserSession"/> the cookie belongs to.</summary>
    public const string SessionId = "pd:sid";
    /// <summary>Present while a generated, reset or expired password must be changed before anything else.</summary>
    public const string MustChangePassword = "pd:must_change";
}

/// <summary>
/// In an HTTP request (endpoints, static pages, prerendering) the user is HttpContext.User; inside a circuit it is the
/// circuit's authentication state, kept current by <see cref="CurrentUserCircuitHandler"/>; in a job or a command it is
/// the system user (<see cref="SystemScope"/>). Elsewhere: nobody.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http) : ICurrentUser
{
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());
    private ClaimsPrincipal? _circuitPrincipal;
    private bool _inCircuit;
    private ICurrentUser? _actingAs;

    public ClaimsPrincipal Principal => _actingAs?.Principal
        ?? (_inCircuit ? _circuitPrincipal ?? Nobody : http.HttpContext?.User ?? Nobody);

    /// <summary>For the whole scope: only <see cref="SystemScope"/> calls it, on a scope it has just created.</summary>
    internal void ActAs(ICurrentUser user) => _actingAs = user;

    internal void EnterCircuit() => _inCircuit = true;

    internal void SetCircuitPrincipal(ClaimsPrincipal principal) => _circuitPrincipal = principal;
}

/// <summary>A fixed user: for tests, and the system user jobs and the command line act as (<see cref="SystemScope"/>).</summary>
public sealed class FixedCurrentUser(ClaimsPrincipal principal) : ICurrentUser
{
    public ClaimsPrincipal Principal { get; } = principal;

    public static FixedCurrentUser Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()));

    /// <summary>The app itself (jobs, start-up) and the trusted local operator (command line): every role, recorded as 系统.</summary>
    public static FixedCurrentUser System { get; } = For(AuditActorAccessor.SystemActor, [.. Domain.Roles.All]);

    public static FixedCurrentUser For(string userName, string[] roles, int? leaderId = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, userName), new(AccountClaims.DisplayName, userName) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        if (leaderId is { } id) claims.Add(new Claim(AccountClaims.LeaderId, id.ToString(CultureInfo.InvariantCulture)));
        return new FixedCurrentUser(new ClaimsPrincipal(new ClaimsIdentity(claims, "Fixed", ClaimTypes.Name, ClaimTypes.Role)));
    }
}

/// <summary>
/// A DI scope in which the system user acts: its <see cref="ICurrentUser"/> (and so its <see cref="AccessGuard"/>) is
/// <see cref="FixedCurrentUser.System"/>, and the audit trail names that user. Every background job and every command runs
/// its services in one, so they pass the same checks and record an actor the same way a signed-in user's action does.
/// </summary>
public sealed class SystemScope : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly IDisposable? _auditActor;

    private SystemScope(AsyncServiceScope scope)
    {
        _scope = scope;
        // The app's CurrentUser acts as the system for the whole scope; a container that registers its own ICurrentUser
        // (a test's fixed user) keeps it.
        scope.ServiceProvider.GetService<CurrentUser>()?.ActAs(FixedCurrentUser.System);
        var user = scope.ServiceProvider.GetService<ICurrentUser>() ?? FixedCurrentUser.System;
        _auditActor = scope.ServiceProvider.GetService<AuditActorAccessor>()?.Use(() => user.UserName);
    }

    public IServiceProvider Services => _scope.ServiceProvider;

    public static SystemScope Begin(IServiceScopeFactory scopes) => new(scopes.CreateAsyncScope());

    public static SystemScope Begin(IServiceProvider services) => Begin(services.GetRequiredService<IServiceScopeFactory>());

    public async ValueTask DisposeAsync()
    {
        _auditActor?.Dispose();
        await _scope.DisposeAsync();
    }
}

/// <summary>
/// Ties the circuit's user to <see cref="CurrentUser"/>, and makes every inbound circuit activity (events, navigation,
/// JS callbacks) run with that user as the audit actor, so the SaveChanges interceptor knows who changed what. Before any
/// activity runs, the circuit's session is checked (<see cref="UserSessions"/>): after the idle timeout, the lifetime, or
/// an end by sign-out or an administrator, the activity does not run — the circuit's user becomes anonymous, so the page
/// goes to sign-in — and nothing the click asked for happens.
/// </summary>
internal sealed class CurrentUserCircuitHandler(
    CurrentUser user, AuthenticationStateProvider authState, AuditActorAccessor actor, UserSessions sessions, SessionEndNotice notice)
    : CircuitHandler, IDisposable
{
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        user.EnterCircuit();
        user.SetCircuitPrincipal((await authState.GetAuthenticationStateAsync()).User);
        authState.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    /// <summary>Set when the circuit's user signed out (session ended here or found ended by the minute's revalidation).</summary>
    private volatile bool _ended;

    private async void OnAuthenticationStateChanged(Task<AuthenticationState> task)
    {
        ClaimsPrincipal now;
        try { now = (await task).User; }
        catch (InvalidOperationException) { now = Nobody; }
        user.SetCircuitPrincipal(now);
        if (now.Identity?.IsAuthenticated != true) _ended = true;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            // Once the session has ended, nothing more runs in this circuit while its page goes to sign-in.
            if (_ended) return;
            var principal = ((ICurrentUser)user).Principal;
            if (principal.IsCookieSession() && await sessions.CheckAsync(principal.SessionId(), activity: true) is { Valid: false } check)
            {
                notice.Reason ??= check.EndReason;
                SignOutCircuit();
                return;
            }
            using (actor.Use(() => ((ICurrentUser)user).UserName))
                await next(context);
        };

    /// <summary>The circuit's user becomes nobody: services refuse at once, and the routed page re-renders as "not signed in", which sends it to sign-in.</summary>
    private void SignOutCircuit()
    {
        _ended = true;
        user.SetCircuitPrincipal(Nobody);
        if (authState is IHostEnvironmentAuthenticationStateProvider host)
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(Nobody)));
    }

    public void Dispose() => authState.AuthenticationStateChanged -= OnAuthenticationStateChanged;
}
