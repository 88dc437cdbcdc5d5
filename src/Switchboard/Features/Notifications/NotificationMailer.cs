using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Switchboard.Data;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Infrastructure;

namespace Switchboard.Features.Notifications;

/// <summary>
/// Emails mentions and direct messages still unread after <see cref="NotificationOptions.EmailDelaySeconds"/>,
/// one mail per person per round. Several instances may run it: each row is claimed by a conditional
/// update that only one of them can win, and a claim left by a crashed instance expires after a lease.
/// </summary>
public sealed class NotificationMailer(
    IServiceScopeFactory scopes,
    IOptions<SwitchboardOptions> options,
    TimeProvider clock,
    ILogger<NotificationMailer> logger) : BackgroundService
{
    private const int BatchRows = 500;
    private const int MaxItemsPerMail = 20;
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Smtp.Host))
        {
            return;
        }
        var every = TimeSpan.FromSeconds(Math.Max(1, settings.Notifications.EmailPollSeconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Sending notification emails failed; trying again in {Seconds} s", every.TotalSeconds);
            }
            try
            {
                await Task.Delay(every, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: claim what is due, mail each person once, record what was sent.</summary>
    public async Task SendDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var dueBefore = now.AddSeconds(-settings.Notifications.EmailDelaySeconds);
        var staleClaim = now - ClaimLease;

        var people = await Pending(db, staleClaim).Where(n => n.CreatedAt <= dueBefore)
            .Select(n => n.UserId).Distinct().Take(BatchRows).ToListAsync(ct);
        if (people.Count == 0)
        {
            return;
        }
        // Once something of a person's is due, everything waiting for them goes into the one mail,
        // also what is not due yet: a mention and a direct message seconds apart make one mail, not
        // one each in consecutive rounds.
        var candidates = await Pending(db, staleClaim).Where(n => people.Contains(n.UserId))
            .OrderBy(n => n.Id).Select(n => n.Id).Take(BatchRows).ToListAsync(ct);
        var claimed = new List<long>();
        foreach (var id in candidates)
        {
            // The row is re-checked under its lock: another instance's claim, or a read, makes this a no-op.
            var won = await Pending(db, staleClaim).Where(n => n.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.EmailClaimedAt, now), ct);
            if (won == 1)
            {
                claimed.Add(id);
            }
        }
        if (claimed.Count == 0)
        {
            return;
        }

        var rows = await db.Set<Notification>().AsNoTracking().Where(n => claimed.Contains(n.Id))
            .Select(n => new
            {
                n.Id,
                n.UserId,
                n.Type,
                n.Excerpt,
                n.CreatedAt,
                Actor = n.Actor == null ? null : (n.Actor.FirstName + " " + n.Actor.LastName).Trim() == "" ? n.Actor.Username
                    : (n.Actor.FirstName + " " + n.Actor.LastName).Trim(),
                Room = n.RoomId == null ? null : db.Set<ChatRoom>().Where(r => r.Id == n.RoomId).Select(r => r.Name).FirstOrDefault(),
                To = db.Users.Where(u => u.Id == n.UserId).Select(u => new { u.Email, u.Username }).First(),
            })
            .ToListAsync(ct);

        foreach (var person in rows.GroupBy(r => r.UserId))
        {
            var ids = person.Select(r => r.Id).ToList();
            var to = person.First().To;
            var items = person.OrderBy(r => r.CreatedAt).ToList();
            var text = new StringBuilder();
            text.AppendLine($"Hello {to.Username},").AppendLine();
            text.AppendLine(items.Count == 1 ? "Something in Switchboard is waiting for you:" : $"{items.Count} things in Switchboard are waiting for you:");
            text.AppendLine();
            foreach (var item in items.Take(MaxItemsPerMail))
            {
                var what = item.Type == NotificationTypes.Mention ? "mentioned you" : "sent you a direct message";
                var where = item.Room is { Length: > 0 } room ? $" in {room}" : "";
                text.AppendLine($"- {item.Actor ?? "Someone"} {what}{where}: {item.Excerpt}");
            }
            if (items.Count > MaxItemsPerMail)
            {
                text.AppendLine($"- and {items.Count - MaxItemsPerMail} more.");
            }
            text.AppendLine().AppendLine("You get this mail because these are still unread. You can turn these emails off in your profile.");

            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse(settings.Smtp.From));
            message.To.Add(new MailboxAddress(to.Username, to.Email));
            message.Subject = items.Count == 1 ? "You have an unread notification" : $"You have {items.Count} unread notifications";
            message.Body = new TextPart("plain") { Text = text.ToString() };
            try
            {
                await SendAsync(settings.Smtp, message, ct);
                await db.Set<Notification>().Where(n => ids.Contains(n.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.EmailedAt, clock.GetUtcNow().UtcDateTime), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Released for the next round (on any instance) rather than lost.
                logger.LogWarning(e, "Could not email user {UserId}", person.Key);
                await db.Set<Notification>().Where(n => ids.Contains(n.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(n => n.EmailClaimedAt, (DateTime?)null), CancellationToken.None);
            }
        }
    }

    /// <summary>Unread, unsent, unclaimed (or claimed too long ago), wanted, and still visible to the person.</summary>
    private static IQueryable<Notification> Pending(AppDbContext db, DateTime staleClaim) =>
        db.Set<Notification>().Where(n => n.ReadAt == null && n.EmailedAt == null
            && (n.EmailClaimedAt == null || n.EmailClaimedAt < staleClaim)
            && NotificationTypes.Emailed.Contains(n.Type)
            && db.Users.Any(u => u.Id == n.UserId && u.EmailNotifications && u.IsActive)
            && (n.ProjectId == null || db.ProjectMembers.Any(m => m.ProjectId == n.ProjectId && m.UserId == n.UserId))
            && (n.RoomId == null || db.Set<ChatParticipant>().Any(p => p.RoomId == n.RoomId && p.UserId == n.UserId)));

    private static async Task SendAsync(SmtpOptions smtp, MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient();
        var security = smtp.Security.ToLowerInvariant() switch
        {
            "tls" => SecureSocketOptions.SslOnConnect,
            "starttls" => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(smtp.Host, smtp.Port, security, ct);
        if (smtp.Username.Length > 0)
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password, ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
