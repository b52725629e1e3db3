using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Casewire.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MassMessagesTemplatesInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MassMessageId",
                table: "OutboxItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ConversationStates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CompanyId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProjectId = table.Column<int>(type: "INTEGER", nullable: false),
                    Flagged = table.Column<bool>(type: "INTEGER", nullable: false),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AssignedStaffUserId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationStates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConversationStates_AspNetUsers_AssignedStaffUserId",
                        column: x => x.AssignedStaffUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ConversationStates_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ConversationStates_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MassMessages",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CompanyId = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1600, nullable: false),
                    Filter = table.Column<string>(type: "TEXT", nullable: false),
                    SendAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WithinDeliveryWindow = table.Column<bool>(type: "INTEGER", nullable: false),
                    KeepOutOfConversations = table.Column<bool>(type: "INTEGER", nullable: false),
                    Recipients = table.Column<int>(type: "INTEGER", nullable: false),
                    SkippedOptedOut = table.Column<int>(type: "INTEGER", nullable: false),
                    SkippedUnreachable = table.Column<int>(type: "INTEGER", nullable: false),
                    SkippedDuplicate = table.Column<int>(type: "INTEGER", nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    AuthorStaffUserId = table.Column<int>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CanceledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompletedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MassMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MassMessages_AspNetUsers_AuthorStaffUserId",
                        column: x => x.AuthorStaffUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_MassMessages_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MessageTemplates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CompanyId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1600, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageTemplates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MessageTemplates_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutboxItems_MassMessageId",
                table: "OutboxItems",
                column: "MassMessageId");

            migrationBuilder.CreateIndex(
                name: "IX_ConversationStates_AssignedStaffUserId",
                table: "ConversationStates",
                column: "AssignedStaffUserId");

            migrationBuilder.CreateIndex(
                name: "IX_ConversationStates_CompanyId_ProjectId",
                table: "ConversationStates",
                columns: new[] { "CompanyId", "ProjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConversationStates_ProjectId",
                table: "ConversationStates",
                column: "ProjectId");

            migrationBuilder.CreateIndex(
                name: "IX_MassMessages_AuthorStaffUserId",
                table: "MassMessages",
                column: "AuthorStaffUserId");

            migrationBuilder.CreateIndex(
                name: "IX_MassMessages_CompanyId_Id",
                table: "MassMessages",
                columns: new[] { "CompanyId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_MassMessages_Incomplete",
                table: "MassMessages",
                column: "Id",
                filter: "\"CompletedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_MessageTemplates_CompanyId_Name",
                table: "MessageTemplates",
                columns: new[] { "CompanyId", "Name" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_OutboxItems_MassMessages_MassMessageId",
                table: "OutboxItems",
                column: "MassMessageId",
                principalTable: "MassMessages",
                principalColumn: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OutboxItems_MassMessages_MassMessageId",
                table: "OutboxItems");

            migrationBuilder.DropTable(
                name: "ConversationStates");

            migrationBuilder.DropTable(
                name: "MassMessages");

            migrationBuilder.DropTable(
                name: "MessageTemplates");

            migrationBuilder.DropIndex(
                name: "IX_OutboxItems_MassMessageId",
                table: "OutboxItems");

            migrationBuilder.DropColumn(
                name: "MassMessageId",
                table: "OutboxItems");
        }
    }
}
