using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Switchboard.Data;
using Switchboard.Infrastructure;
using Switchboard.Realtime.Presence;

namespace Switchboard.Features.Calls;

/// <summary>
/// Runs on every instance: ends calls whose ring ran out with nobody answering, and takes out of
/// open calls people who have had no socket anywhere for a while (a closed laptop must not keep a
/// room's call open for ever). The state lives in the database, so this also works after a
/// restart; each end is a conditional UPDATE, so when several instances sweep at once exactly one
/// ends a call and sends its notifications.
/// </summary>
public sealed class CallSweeper(IServiceScopeFactory scopes, PresenceTracker presence, TimeProvider clock,
    IOptions<SwitchboardOptions> options, ILogger<CallSweeper> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(0.05, options.Value.Calls.SweepSeconds)), clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a moment; the next tick tries again.
                logger.LogWarning(e, "Call sweep failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var overdue = await db.Set<Call>().AsNoTracking().Where(c => c.State == CallStates.Ringing && c.RingDeadline <= now)
            .OrderBy(c => c.RingDeadline).Select(c => c.Id).Take(Batch).ToListAsync(ct);
        foreach (var callId in overdue)
        {
            await using var callScope = scopes.CreateAsyncScope();
            await callScope.ServiceProvider.GetRequiredService<CallService>().EndUnansweredAsync(callId, ct);
        }

        var joinedBefore = now.AddSeconds(-options.Value.Calls.LeaveOfflineAfterSeconds);
        var stale = await db.Set<CallParticipant>().AsNoTracking()
            .Where(p => p.State == CallPresence.Joined && p.JoinedAt <= joinedBefore)
            .Select(p => new { p.CallId, p.UserId }).Take(Batch).ToListAsync(ct);
        if (stale.Count == 0)
        {
            return;
        }
        // Offline means no socket on any instance for Presence:OfflineAfterSeconds already.
        var statuses = await presence.StatusAsync(stale.Select(p => p.UserId).Distinct().ToList());
        foreach (var gone in stale.Where(p => statuses.GetValueOrDefault(p.UserId) is null or PresenceStatus.Offline))
        {
            await using var callScope = scopes.CreateAsyncScope();
            await callScope.ServiceProvider.GetRequiredService<CallService>().LeaveCoreAsync(gone.UserId, gone.CallId, ct);
        }
    }
}
