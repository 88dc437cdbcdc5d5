using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Switchboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ThreadsMentionsNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LastReadMessageId",
                table: "chat_participants",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "AlsoSendToRoom",
                table: "chat_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsDeleted",
                table: "chat_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastReplyAt",
                table: "chat_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "MentionUserIds",
                table: "chat_messages",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MentionsHere",
                table: "chat_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "MentionsRoom",
                table: "chat_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ReplyCount",
                table: "chat_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ThreadParticipantIds",
                table: "chat_messages",
                type: "character varying(120)",
                maxLength: 120,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ThreadRootId",
                table: "chat_messages",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "chat_mentions",
                columns: table => new
                {
                    MessageId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    RoomId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chat_mentions", x => new { x.MessageId, x.UserId });
                    table.ForeignKey(
                        name: "FK_chat_mentions_chat_messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "chat_messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_chat_mentions_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "chat_thread_follows",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RootId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    RoomId = table.Column<int>(type: "integer", nullable: false),
                    IsFollowing = table.Column<bool>(type: "boolean", nullable: false),
                    LastReadAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chat_thread_follows", x => x.Id);
                    table.ForeignKey(
                        name: "FK_chat_thread_follows_chat_messages_RootId",
                        column: x => x.RootId,
                        principalTable: "chat_messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_chat_thread_follows_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ActorId = table.Column<int>(type: "integer", nullable: true),
                    ProjectId = table.Column<int>(type: "integer", nullable: true),
                    RoomId = table.Column<int>(type: "integer", nullable: true),
                    MessageId = table.Column<int>(type: "integer", nullable: true),
                    TicketId = table.Column<int>(type: "integer", nullable: true),
                    Excerpt = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EmailClaimedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EmailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_notifications_chat_messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "chat_messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_notifications_chat_rooms_RoomId",
                        column: x => x.RoomId,
                        principalTable: "chat_rooms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_notifications_projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_notifications_tickets_TicketId",
                        column: x => x.TicketId,
                        principalTable: "tickets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_notifications_users_ActorId",
                        column: x => x.ActorId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_notifications_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_chat_messages_ThreadRootId_Id",
                table: "chat_messages",
                columns: new[] { "ThreadRootId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_chat_mentions_UserId_RoomId_MessageId",
                table: "chat_mentions",
                columns: new[] { "UserId", "RoomId", "MessageId" });

            migrationBuilder.CreateIndex(
                name: "IX_chat_thread_follows_RootId_UserId",
                table: "chat_thread_follows",
                columns: new[] { "RootId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_chat_thread_follows_UserId_RoomId",
                table: "chat_thread_follows",
                columns: new[] { "UserId", "RoomId" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_ActorId",
                table: "notifications",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_EmailedAt_ReadAt_CreatedAt",
                table: "notifications",
                columns: new[] { "EmailedAt", "ReadAt", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_MessageId",
                table: "notifications",
                column: "MessageId");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_ProjectId",
                table: "notifications",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_RoomId",
                table: "notifications",
                column: "RoomId");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_TicketId",
                table: "notifications",
                column: "TicketId");

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_Id",
                table: "notifications",
                columns: new[] { "UserId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_notifications_UserId_ReadAt",
                table: "notifications",
                columns: new[] { "UserId", "ReadAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_chat_messages_chat_messages_ThreadRootId",
                table: "chat_messages",
                column: "ThreadRootId",
                principalTable: "chat_messages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_chat_messages_chat_messages_ThreadRootId",
                table: "chat_messages");

            migrationBuilder.DropTable(
                name: "chat_mentions");

            migrationBuilder.DropTable(
                name: "chat_thread_follows");

            migrationBuilder.DropTable(
                name: "notifications");

            migrationBuilder.DropIndex(
                name: "IX_chat_messages_ThreadRootId_Id",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "LastReadMessageId",
                table: "chat_participants");

            migrationBuilder.DropColumn(
                name: "AlsoSendToRoom",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "IsDeleted",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "LastReplyAt",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "MentionUserIds",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "MentionsHere",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "MentionsRoom",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "ReplyCount",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "ThreadParticipantIds",
                table: "chat_messages");

            migrationBuilder.DropColumn(
                name: "ThreadRootId",
                table: "chat_messages");
        }
    }
}
