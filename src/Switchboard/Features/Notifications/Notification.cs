using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Projects;
using Switchboard.Features.Tickets;
using Switchboard.Features.Users;

namespace Switchboard.Features.Notifications;

public static class NotificationTypes
{
    public const string Mention = "mention";
    public const string DirectMessage = "direct_message";
    public const string ThreadReply = "thread_reply";
    public const string TicketAssigned = "ticket_assigned";
    public const string TicketStatusChanged = "ticket_status_changed";
    public const string TicketCommented = "ticket_commented";
    public const string CallMissed = "call_missed";

    /// <summary>The types worth an email when left unread.</summary>
    public static readonly string[] Emailed = [Mention, DirectMessage];
}

/// <summary>Something that needs <see cref="UserId"/>, created in the same transaction as the change that caused it.</summary>
public sealed class Notification
{
    public const int MaxExcerptLength = 200;

    public long Id { get; set; }
    public int UserId { get; set; }
    public required string Type { get; set; }
    public int? ActorId { get; set; }
    public User? Actor { get; set; }
    public int? ProjectId { get; set; }
    public int? RoomId { get; set; }
    public int? MessageId { get; set; }
    public int? TicketId { get; set; }
    public string Excerpt { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
    /// <summary>Set by the one mailer instance that claimed the row; a claim older than a lease may be taken over.</summary>
    public DateTime? EmailClaimedAt { get; set; }
    public DateTime? EmailedAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.Property(n => n.Type).HasMaxLength(32);
        b.Property(n => n.Excerpt).HasMaxLength(Notification.MaxExcerptLength);
        b.HasIndex(n => new { n.UserId, n.Id });
        b.HasIndex(n => new { n.UserId, n.ReadAt });
        b.HasIndex(n => new { n.EmailedAt, n.ReadAt, n.CreatedAt });
        b.HasOne<User>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(n => n.Actor).WithMany().HasForeignKey(n => n.ActorId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Project>().WithMany().HasForeignKey(n => n.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChatRoom>().WithMany().HasForeignKey(n => n.RoomId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChatMessage>().WithMany().HasForeignKey(n => n.MessageId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Ticket>().WithMany().HasForeignKey(n => n.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}
