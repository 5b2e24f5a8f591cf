using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Features.Account;

/// <summary>The answer to "may this session act now?".</summary>
public readonly record struct SessionCheck(bool Valid, string? EndReason)
{
    public static readonly SessionCheck Ok = new(true, null);
}

/// <summary>
/// The server-side session records (docs/rules.md §10). A sign-in starts a row whose id the cookie carries
/// (<see cref="AccountClaims.SessionId"/>); every request (cookie validation) and every circuit action
/// (<see cref="SessionCircuitHandler"/>) asks <see cref="CheckAsync"/>, which ends the row after <c>IdleMinutes</c> without
/// activity or <c>SessionHours</c> after the sign-in. Sign-out, a password change, a role change and disabling a user end
/// the rows in the database, so every node refuses them once its short cache (<c>SessionCacheSeconds</c>) has expired —
/// the node that ended them at once.
/// </summary>
public sealed class UserSessions(
    IDbContextFactory<AppDbContext> contexts, IServiceScopeFactory scopes, IOptionsMonitor<AccountOptions> options, TimeProvider clock,
    ILogger<UserSessions> log) : IDisposable
{
    /// <summary>Activity is written to the database at most this often per session (idle precision vs. writes per request).</summary>
    private static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(30);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    private sealed class Snapshot
    {
        public required string UserId { get; init; }
        public DateTime StartedAtUtc { get; init; }
        public DateTime LastActivityAtUtc { get; set; }
        public DateTime? EndedAtUtc { get; set; }
        public string? EndReason { get; set; }
    }

    private AccountOptions Options => options.CurrentValue;

    /// <summary>
    /// Starts a session for a user who has just proved his password. At most <c>MaxSessionsPerUser</c> stay open: the oldest
    /// end (the person at the keyboard has just proved the password; a browser closed without signing out must not lock its
    /// owner out until the idle timeout).
    /// </summary>
    public async Task<string> StartAsync(AppUser user, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        List<string> ended;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var open = await OpenSessions(db, user.Id, now).OrderByDescending(s => s.StartedAtUtc).ToListAsync(ct);
            var tooMany = open.Skip(Math.Max(Options.MaxSessionsPerUser - 1, 0)).ToList();
            foreach (var s in tooMany) { s.EndedAtUtc = now; s.EndReason = SessionEndReasons.TooManySessions; }
            db.UserSessions.Add(new UserSession { Id = id, UserId = user.Id, StartedAtUtc = now, LastActivityAtUtc = now });
            await db.SaveChangesAsync(ct);
            ended = tooMany.Select(s => s.Id).ToList();
        }
        foreach (var s in ended) _cache.Remove(s);
        if (ended.Count > 0) await AuditEndedAsync(user.UserName, SessionEndReasons.TooManySessions, ended.Count, ct);
        return id;
    }

    /// <summary>
    /// Whether the session may act now; ends it (and says why) when it is idle or past its lifetime. With
    /// <paramref name="activity"/> the call counts as the user's action and keeps the session alive.
    /// </summary>
    public async Task<SessionCheck> CheckAsync(string? sessionId, bool activity, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(sessionId)) return new SessionCheck(false, null);
        var now = clock.GetUtcNow().UtcDateTime;
        var snapshot = await GetAsync(sessionId, fresh: false, ct);
        if (snapshot is null) return new SessionCheck(false, null);
        var problem = Problem(snapshot, now);
        if (problem is SessionEndReasons.Idle)
        {
            // Another node may have seen activity this one has not: decide on the database's row.
            snapshot = await GetAsync(sessionId, fresh: true, ct);
            if (snapshot is null) return new SessionCheck(false, null);
            problem = Problem(snapshot, now);
        }
        if (snapshot.EndedAtUtc is not null) return new SessionCheck(false, snapshot.EndReason);
        if (problem is not null)
        {
            await EndAsync(sessionId, problem, ct);
            return new SessionCheck(false, problem);
        }
        if (activity && now - snapshot.LastActivityAtUtc >= TouchInterval)
        {
            snapshot.LastActivityAtUtc = now;
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAtUtc == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastActivityAtUtc, now), ct);
        }
        return SessionCheck.Ok;
    }

    /// <summary>Ends one session (sign-out of one browser, idle, lifetime).</summary>
    public async Task EndAsync(string sessionId, string reason, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        string? userName;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            var ended = await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAtUtc == null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAtUtc, now).SetProperty(s => s.EndReason, reason), ct);
            userName = ended == 0 ? null : await (from s in db.UserSessions
                                                   join u in db.Users on s.UserId equals u.Id
                                                   where s.Id == sessionId
                                                   select u.UserName).FirstOrDefaultAsync(ct);
        }
        _cache.Remove(sessionId);
        if (userName is not null && reason is not SessionEndReasons.SignedOut) await AuditEndedAsync(userName, reason, 1, ct);
    }

    /// <summary>Ends every open session of a user (sign-out, password change, role change, disabled), except <paramref name="keep"/>.</summary>
    public async Task EndAllAsync(string userId, string reason, string? keep = null, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<string> ids;
        string? userName;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            ids = await db.UserSessions.Where(s => s.UserId == userId && s.EndedAtUtc == null && s.Id != keep).Select(s => s.Id).ToListAsync(ct);
            if (ids.Count == 0) return;
            await db.UserSessions.Where(s => ids.Contains(s.Id))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAtUtc, now).SetProperty(s => s.EndReason, reason), ct);
            userName = await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        }
        foreach (var id in ids) _cache.Remove(id);
        if (reason is not SessionEndReasons.SignedOut) await AuditEndedAsync(userName, reason, ids.Count, ct);
    }

    /// <summary>The open sessions of a user (for the concurrent-session limit and the tests).</summary>
    public async Task<int> CountOpenAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await OpenSessions(db, userId, clock.GetUtcNow().UtcDateTime).CountAsync(ct);
    }

    private IQueryable<UserSession> OpenSessions(AppDbContext db, string userId, DateTime now)
    {
        var idleSince = now.AddMinutes(-Options.IdleMinutes);
        var startedSince = now.AddHours(-Options.SessionHours);
        return db.UserSessions.Where(s => s.UserId == userId && s.EndedAtUtc == null
            && s.LastActivityAtUtc > idleSince && s.StartedAtUtc > startedSince);
    }

    private string? Problem(Snapshot s, DateTime now) =>
        s.EndedAtUtc is not null ? s.EndReason ?? SessionEndReasons.SignedOut
        : now - s.StartedAtUtc >= TimeSpan.FromHours(Options.SessionHours) ? SessionEndReasons.Lifetime
        : now - s.LastActivityAtUtc >= TimeSpan.FromMinutes(Options.IdleMinutes) ? SessionEndReasons.Idle
        : null;

    private async Task<Snapshot?> GetAsync(string sessionId, bool fresh, CancellationToken ct)
    {
        if (!fresh && _cache.TryGetValue(sessionId, out Snapshot? cached)) return cached;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.UserSessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Select(s => new Snapshot
            {
                UserId = s.UserId, StartedAtUtc = s.StartedAtUtc, LastActivityAtUtc = s.LastActivityAtUtc, EndedAtUtc = s.EndedAtUtc,
                EndReason = s.EndReason,
            })
            .FirstOrDefaultAsync(ct);
        if (row is null) return null;
        _cache.Set(sessionId, row, TimeSpan.FromSeconds(Math.Clamp(Options.SessionCacheSeconds, 1, 60)));
        return row;
    }

    private async Task AuditEndedAsync(string? userName, string reason, int count, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAsync(AuditActions.SessionEnded,
                detail: count == 1 ? SessionEndReasons.ToChinese(reason) : $"{SessionEndReasons.ToChinese(reason)}（{count} 个会话）",
                entity: nameof(AppUser), entityKey: userName, actorName: userName ?? AuditActorAccessor.SystemActor, ct: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The session is ended either way; a lost audit row must not keep it open.
            log.LogError(e, "会话结束未能记入审计日志");
        }
    }

    public void Dispose() => _cache.Dispose();
}

/// <summary>The session id of a signed-in principal.</summary>
public static class SessionClaims
{
    public static string? SessionId(this ClaimsPrincipal user) => user.FindFirstValue(AccountClaims.SessionId);

    /// <summary>
    /// Whether the principal came from the sign-in cookie, whose sessions <see cref="UserSessions"/> keeps. The app has no
    /// other scheme (and the cookie validation refuses a cookie without a session); a test's own scheme has its own lifetime.
    /// </summary>
    public static bool IsCookieSession(this ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: var type } && type == Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme;

    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == AccountClaims.MustChangePassword);
}
