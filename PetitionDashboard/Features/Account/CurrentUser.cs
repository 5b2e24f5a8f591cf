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
}

/// <summary>
/// In an HTTP request (endpoints, static pages, prerendering) the user is HttpContext.User; inside a circuit it is the
/// circuit's authentication state, kept current by <see cref="CurrentUserCircuitHandler"/>. Elsewhere (jobs): nobody.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http) : ICurrentUser
{
    private static readonly ClaimsPrincipal Nobody = new(new ClaimsIdentity());
    private ClaimsPrincipal? _circuitPrincipal;
    private bool _inCircuit;

    public ClaimsPrincipal Principal => _inCircuit ? _circuitPrincipal ?? Nobody : http.HttpContext?.User ?? Nobody;

    internal void EnterCircuit() => _inCircuit = true;

    internal void SetCircuitPrincipal(ClaimsPrincipal principal) => _circuitPrincipal = principal;
}

/// <summary>A fixed user: for tests, and for the command line, which acts as <see cref="System"/>.</summary>
public sealed class FixedCurrentUser(ClaimsPrincipal principal) : ICurrentUser
{
    public ClaimsPrincipal Principal { get; } = principal;

    public static FixedCurrentUser Anonymous { get; } = new(new ClaimsPrincipal(new ClaimsIdentity()));

    /// <summary>Trusted local operator (command line): every role, recorded as 系统.</summary>
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
/// Ties the circuit's user to <see cref="CurrentUser"/>, and makes every inbound circuit activity (events, navigation,
/// JS callbacks) run with that user as the audit actor, so the SaveChanges interceptor knows who changed what.
/// </summary>
internal sealed class CurrentUserCircuitHandler(CurrentUser user, AuthenticationStateProvider authState, AuditActorAccessor actor)
    : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        user.EnterCircuit();
        user.SetCircuitPrincipal((await authState.GetAuthenticationStateAsync()).User);
        authState.AuthenticationStateChanged += OnAuthenticationStateChanged;
    }

    private async void OnAuthenticationStateChanged(Task<AuthenticationState> task)
    {
        try { user.SetCircuitPrincipal((await task).User); }
        catch (InvalidOperationException) { user.SetCircuitPrincipal(new ClaimsPrincipal(new ClaimsIdentity())); }
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            using (actor.Use(() => ((ICurrentUser)user).UserName))
                await next(context);
        };

    public void Dispose() => authState.AuthenticationStateChanged -= OnAuthenticationStateChanged;
}
