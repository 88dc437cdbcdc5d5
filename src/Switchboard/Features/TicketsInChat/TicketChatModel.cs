using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Chat.Rooms;
using Switchboard.Features.Projects;
using Switchboard.Features.Tickets;

namespace Switchboard.Features.TicketsInChat;

/// <summary>
/// A ticket a message refers to by key, as parsed when the message was last written. The index
/// behind <c>tickets</c> on messages and the ticket's mention list; kept for every ticket the key
/// names, whoever reads it (readers are filtered when a page is read, so that a reader who joins
/// the project later sees the chip).
/// </summary>
public sealed class TicketReference
{
    public int MessageId { get; set; }
    public ChatMessage Message { get; set; } = null!;
    public int TicketId { get; set; }
    public Ticket Ticket { get; set; } = null!;
    public int RoomId { get; set; }
    /// <summary>The order the keys were first written in the message, from 0.</summary>
    public int Position { get; set; }
}

/// <summary>The message a ticket was made from. No foreign key to the message: it may be deleted, the ticket stays whole.</summary>
public sealed class TicketSource
{
    public int TicketId { get; set; }
    public int MessageId { get; set; }
    public int RoomId { get; set; }
}

/// <summary>A ticket's discussion: the thread (rooted at a system message) whose replies are its comments.</summary>
public sealed class TicketDiscussion
{
    public int TicketId { get; set; }
    public Ticket Ticket { get; set; } = null!;
    public int RoomId { get; set; }
    public int RootId { get; set; }
    public int CreatedById { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// One comment that is also a reply in its ticket's discussion: written in the same transaction as
/// both rows, so that each side exists exactly once (docs/decisions/1203-discussion-mirror.md).
/// </summary>
public sealed class DiscussionPost
{
    public int CommentId { get; set; }
    public int MessageId { get; set; }
    public int TicketId { get; set; }
}

/// <summary>A room following its project's ticket events.</summary>
public sealed class TicketFeed
{
    public int RoomId { get; set; }
    public int ProjectId { get; set; }
    /// <summary>The followed events, comma-separated, from <see cref="TicketFeedEvents.All"/>.</summary>
    public string Events { get; set; } = "";
    public int CreatedById { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class TicketReferenceConfiguration : IEntityTypeConfiguration<TicketReference>
{
    public void Configure(EntityTypeBuilder<TicketReference> b)
    {
        b.ToTable("chat_ticket_refs");
        b.HasKey(r => new { r.MessageId, r.TicketId });
        // The mention list walks a ticket's messages newest first.
        b.HasIndex(r => new { r.TicketId, r.MessageId });
        b.HasOne(r => r.Message).WithMany().HasForeignKey(r => r.MessageId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(r => r.Ticket).WithMany().HasForeignKey(r => r.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketSourceConfiguration : IEntityTypeConfiguration<TicketSource>
{
    public void Configure(EntityTypeBuilder<TicketSource> b)
    {
        b.ToTable("ticket_sources");
        b.HasKey(s => s.TicketId);
        b.HasOne<Ticket>().WithOne(t => t.Source).HasForeignKey<TicketSource>(s => s.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketDiscussionConfiguration : IEntityTypeConfiguration<TicketDiscussion>
{
    public void Configure(EntityTypeBuilder<TicketDiscussion> b)
    {
        b.ToTable("ticket_discussions");
        b.HasKey(d => d.TicketId);
        b.HasIndex(d => d.RootId).IsUnique();
        b.HasOne(d => d.Ticket).WithOne(t => t.Discussion).HasForeignKey<TicketDiscussion>(d => d.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChatRoom>().WithMany().HasForeignKey(d => d.RoomId).OnDelete(DeleteBehavior.Cascade);
        // A root with replies is kept as a placeholder when deleted; one without replies takes the link with it.
        b.HasOne<ChatMessage>().WithMany().HasForeignKey(d => d.RootId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DiscussionPostConfiguration : IEntityTypeConfiguration<DiscussionPost>
{
    public void Configure(EntityTypeBuilder<DiscussionPost> b)
    {
        b.ToTable("ticket_discussion_posts");
        b.HasKey(p => p.CommentId);
        b.HasIndex(p => p.MessageId).IsUnique();
        b.HasOne<TicketComment>().WithMany().HasForeignKey(p => p.CommentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ChatMessage>().WithMany().HasForeignKey(p => p.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TicketFeedConfiguration : IEntityTypeConfiguration<TicketFeed>
{
    public void Configure(EntityTypeBuilder<TicketFeed> b)
    {
        b.ToTable("chat_ticket_feeds");
        b.HasKey(f => f.RoomId);
        b.Property(f => f.Events).HasMaxLength(100);
        b.HasIndex(f => f.ProjectId);
        b.HasOne<ChatRoom>().WithOne().HasForeignKey<TicketFeed>(f => f.RoomId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Project>().WithMany().HasForeignKey(f => f.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
