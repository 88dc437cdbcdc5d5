using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Chat.Messages;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Threads;

/// <summary>
/// A user's relation to one thread: whether they follow it and how far they have read it. An
/// unfollow is kept as a row with <see cref="IsFollowing"/> false, so that replying or being
/// mentioned later follows again but nothing else silently does.
/// </summary>
public sealed class ThreadFollow
{
    public int Id { get; set; }
    public int RootId { get; set; }
    public ChatMessage Root { get; set; } = null!;
    public int UserId { get; set; }
    public int RoomId { get; set; }
    public bool IsFollowing { get; set; }
    /// <summary>Replies after this moment are unread for the follower.</summary>
    public DateTime? LastReadAt { get; set; }
}

internal sealed class ThreadFollowConfiguration : IEntityTypeConfiguration<ThreadFollow>
{
    public void Configure(EntityTypeBuilder<ThreadFollow> b)
    {
        b.ToTable("chat_thread_follows");
        b.HasIndex(f => new { f.RootId, f.UserId }).IsUnique();
        b.HasIndex(f => new { f.UserId, f.RoomId });
        b.HasOne(f => f.Root).WithMany().HasForeignKey(f => f.RootId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
