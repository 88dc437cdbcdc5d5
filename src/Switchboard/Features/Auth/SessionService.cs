using Microsoft.EntityFrameworkCore;
using Switchboard.Data;
using Switchboard.Features.Users;

namespace Switchboard.Features.Auth;

/// <summary>Starts and ends sessions; every end goes through here so that every instance hears of it.</summary>
public sealed class SessionService(AppDbContext db, RevokedSessions revocations, TimeProvider clock)
{
    public async Task<Session> StartAsync(User user, HttpContext http, CancellationToken ct)
    {
        var session = Session.Start(user.Id, http, clock.GetUtcNow().UtcDateTime);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        return session;
    }

    /// <summary>Ends the live sessions among <paramref name="which"/>; returns how many it ended.</summary>
    public async Task<int> EndAsync(IQueryable<Session> which, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var live = await which.Where(s => s.EndedAt == null).Select(s => new { s.Id, s.UserId }).ToListAsync(ct);
        if (live.Count == 0)
        {
            return 0;
        }
        var ids = live.Select(s => s.Id).ToList();
        await db.Sessions.Where(s => ids.Contains(s.Id) && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), ct);
        // Published only after the update is committed, so a poll on another instance agrees with it.
        revocations.Publish(live.Select(s => new SessionEnded(s.Id, s.UserId)).ToList(), now);
        return live.Count;
    }

    public Task<int> EndAsync(long sessionId, CancellationToken ct) => EndAsync(db.Sessions.Where(s => s.Id == sessionId), ct);

    public Task<int> EndAllAsync(int userId, long? except, CancellationToken ct) =>
        EndAsync(db.Sessions.Where(s => s.UserId == userId && s.Id != except), ct);
}
