using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Projects;
using Switchboard.Features.Users;

namespace Switchboard.Features.Chat.Rooms;

public enum RoomType
{
    Group,
    Direct,
}

public sealed class ChatRoom
{
    public int Id { get; set; }
    public string? Name { get; set; }
    public RoomType Type { get; set; }
    public int ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public int CreatedById { get; set; }
    public User CreatedBy { get; set; } = null!;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When the last message arrived (or the room was created): the room list's sort key.</summary>
    public DateTime LastActivityAt { get; set; }
    /// <summary>
    /// "projectId:lowerUserId:higherUserId" for a direct room, null for a group. Its unique index is
    /// what makes creating the same direct room twice at the same moment yield one room.
    /// </summary>
    public string? DirectKey { get; set; }
    public List<ChatParticipant> Participants { get; set; } = [];

    public static string DirectKeyFor(int projectId, int a, int b) =>
        $"{projectId}:{Math.Min(a, b)}:{Math.Max(a, b)}";
}

public sealed class ChatParticipant
{
    public int Id { get; set; }
    public int RoomId { get; set; }
    public ChatRoom Room { get; set; } = null!;
    public int UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTime JoinedAt { get; set; }
    public DateTime? LastReadAt { get; set; }
    /// <summary>The read mark: every message up to this id is read. Only moves forward, except by mark_unread.</summary>
    public int? LastReadMessageId { get; set; }
}

public static class RoomTypes
{
    public static string ToWire(this RoomType type) => type == RoomType.Direct ? "direct" : "group";

    public static bool TryParse(string? value, out RoomType type)
    {
        switch (value)
        {
            case "group": type = RoomType.Group; return true;
            case "direct": type = RoomType.Direct; return true;
            default: type = default; return false;
        }
    }
}

internal sealed class ChatRoomConfiguration : IEntityTypeConfiguration<ChatRoom>
{
    public void Configure(EntityTypeBuilder<ChatRoom> b)
    {
        b.ToTable("chat_rooms");
        b.Property(r => r.Name).HasMaxLength(200);
        b.Property(r => r.Type).HasConversion(t => t.ToWire(), s => s == "direct" ? RoomType.Direct : RoomType.Group).HasMaxLength(10);
        b.Property(r => r.DirectKey).HasMaxLength(40);
        b.HasIndex(r => r.DirectKey).IsUnique();
        b.HasIndex(r => new { r.ProjectId, r.LastActivityAt });
        b.HasOne(r => r.Project).WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(r => r.CreatedBy).WithMany().HasForeignKey(r => r.CreatedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ChatParticipantConfiguration : IEntityTypeConfiguration<ChatParticipant>
{
    public void Configure(EntityTypeBuilder<ChatParticipant> b)
    {
        b.ToTable("chat_participants");
        b.HasIndex(p => new { p.RoomId, p.UserId }).IsUnique();
        b.HasIndex(p => p.UserId);
        b.HasOne(p => p.Room).WithMany(r => r.Participants).HasForeignKey(p => p.RoomId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(p => p.User).WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
