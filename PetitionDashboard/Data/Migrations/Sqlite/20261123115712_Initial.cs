using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    LeaderId = table.Column<int>(type: "INTEGER", nullable: true),
                    Disabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: true),
                    SecurityStamp = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true),
                    PhoneNumber = table.Column<string>(type: "TEXT", nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentBatches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentBatches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Entity = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    EntityKey = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    Field = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    OldValue = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    NewValue = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Categories",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Categories", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Leaders",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Leaders", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Petitioners",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    IdNumber = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IdentityKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Petitioners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Threads",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FirstPetitionId = table.Column<int>(type: "INTEGER", nullable: true),
                    PetitionCount = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstReceivedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LastReceivedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    BacklogBatchId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Threads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Units",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Units", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderKey = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "TEXT", nullable: true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    LoginProvider = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LeaderAssignments",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThreadId = table.Column<int>(type: "INTEGER", nullable: false),
                    LeaderId = table.Column<int>(type: "INTEGER", nullable: false),
                    LeadUnitId = table.Column<int>(type: "INTEGER", nullable: false),
                    CoUnits = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ResponsiblePerson = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    StabilityPerson = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Plan = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    AssignedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ExtensionDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ResolvedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ResolutionResult = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    BatchId = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeaderAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeaderAssignments_Leaders_LeaderId",
                        column: x => x.LeaderId,
                        principalTable: "Leaders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeaderAssignments_Threads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "Threads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LeaderAssignments_Units_LeadUnitId",
                        column: x => x.LeadUnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Petitions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Form = table.Column<int>(type: "INTEGER", nullable: false),
                    Purpose = table.Column<int>(type: "INTEGER", nullable: true),
                    PeopleCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Locality = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Demand = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    UnitId = table.Column<int>(type: "INTEGER", nullable: false),
                    PetitionerNames = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ReceivedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RegisteredAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DispatchedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FirstDecisionOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    AcceptedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    SimpleProcedure = table.Column<bool>(type: "INTEGER", nullable: false),
                    ExtensionDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ExtensionReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ExtensionApprover = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    RepliedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ReplyResult = table.Column<int>(type: "INTEGER", nullable: true),
                    Evaluation = table.Column<int>(type: "INTEGER", nullable: true),
                    EvaluatedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ReviewAcceptedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ReviewDecidedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RecheckAcceptedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FinishedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CurrentDueDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Supervision = table.Column<int>(type: "INTEGER", nullable: false),
                    SupervisionRaisedByHand = table.Column<bool>(type: "INTEGER", nullable: false),
                    RemindersSent = table.Column<int>(type: "INTEGER", nullable: false),
                    ThreadId = table.Column<int>(type: "INTEGER", nullable: false),
                    IsRepeat = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Petitions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Petitions_Threads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "Threads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Petitions_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "WeeklyUnitStatistics",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WeekYear = table.Column<int>(type: "INTEGER", nullable: false),
                    WeekNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    WeekMonday = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    UnitId = table.Column<int>(type: "INTEGER", nullable: true),
                    NewPetitions = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstPetitions = table.Column<int>(type: "INTEGER", nullable: false),
                    RepeatPetitions = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupVisitBatches = table.Column<int>(type: "INTEGER", nullable: false),
                    GroupVisitPeople = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstDecisionDue = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstDecisionOnTime = table.Column<int>(type: "INTEGER", nullable: false),
                    ReplyDue = table.Column<int>(type: "INTEGER", nullable: false),
                    RepliedOnTime = table.Column<int>(type: "INTEGER", nullable: false),
                    RepliedInWeek = table.Column<int>(type: "INTEGER", nullable: false),
                    Evaluated = table.Column<int>(type: "INTEGER", nullable: false),
                    Satisfied = table.Column<int>(type: "INTEGER", nullable: false),
                    Open = table.Column<int>(type: "INTEGER", nullable: false),
                    Overdue = table.Column<int>(type: "INTEGER", nullable: false),
                    Assignments = table.Column<int>(type: "INTEGER", nullable: false),
                    AssignmentsResolved = table.Column<int>(type: "INTEGER", nullable: false),
                    BacklogThreads = table.Column<int>(type: "INTEGER", nullable: false),
                    BacklogResolved = table.Column<int>(type: "INTEGER", nullable: false),
                    AsOfUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Published = table.Column<bool>(type: "INTEGER", nullable: false),
                    PublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WeeklyUnitStatistics", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WeeklyUnitStatistics_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentExtensionRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssignmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    Days = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DecidedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DecisionNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentExtensionRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentExtensionRequests_LeaderAssignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "LeaderAssignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssignmentProgress",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssignmentId = table.Column<int>(type: "INTEGER", nullable: false),
                    On = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentProgress", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentProgress_LeaderAssignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "LeaderAssignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PetitionEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PetitionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    On = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    FromState = table.Column<int>(type: "INTEGER", nullable: true),
                    ToState = table.Column<int>(type: "INTEGER", nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PetitionEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PetitionEvents_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PetitionPetitioners",
                columns: table => new
                {
                    PetitionId = table.Column<int>(type: "INTEGER", nullable: false),
                    PetitionerId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PetitionPetitioners", x => new { x.PetitionId, x.PetitionerId });
                    table.ForeignKey(
                        name: "FK_PetitionPetitioners_Petitioners_PetitionerId",
                        column: x => x.PetitionerId,
                        principalTable: "Petitioners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PetitionPetitioners_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RepeatDecisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PetitionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ThreadId = table.Column<int>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RepeatDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RepeatDecisions_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentExtensionRequests_AssignmentId",
                table: "AssignmentExtensionRequests",
                column: "AssignmentId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentExtensionRequests_Status_AssignmentId",
                table: "AssignmentExtensionRequests",
                columns: new[] { "Status", "AssignmentId" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentProgress_AssignmentId",
                table: "AssignmentProgress",
                column: "AssignmentId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Actor_AtUtc",
                table: "AuditEntries",
                columns: new[] { "Actor", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_AtUtc",
                table: "AuditEntries",
                column: "AtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_CaseNumber_AtUtc",
                table: "AuditEntries",
                columns: new[] { "CaseNumber", "AtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Categories_Name",
                table: "Categories",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LeaderAssignments_BatchId",
                table: "LeaderAssignments",
                column: "BatchId");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderAssignments_LeaderId_Status",
                table: "LeaderAssignments",
                columns: new[] { "LeaderId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_LeaderAssignments_LeadUnitId",
                table: "LeaderAssignments",
                column: "LeadUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderAssignments_ThreadId_Status",
                table: "LeaderAssignments",
                columns: new[] { "ThreadId", "Status" });

            migrationBuilder.CreateIndex(
                name: "UX_LeaderAssignments_OpenPerThread",
                table: "LeaderAssignments",
                column: "ThreadId",
                unique: true,
                filter: "\"Status\" IN (1, 3)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitioners_IdentityKey",
                table: "Petitioners",
                column: "IdentityKey");

            migrationBuilder.CreateIndex(
                name: "IX_PetitionEvents_PetitionId_Id",
                table: "PetitionEvents",
                columns: new[] { "PetitionId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PetitionPetitioners_PetitionerId",
                table: "PetitionPetitioners",
                column: "PetitionerId");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_CaseNumber",
                table: "Petitions",
                column: "CaseNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Category_State",
                table: "Petitions",
                columns: new[] { "Category", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_ReceivedOn_IsRepeat",
                table: "Petitions",
                columns: new[] { "ReceivedOn", "IsRepeat" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_State_CurrentDueDate",
                table: "Petitions",
                columns: new[] { "State", "CurrentDueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_State_ReceivedOn",
                table: "Petitions",
                columns: new[] { "State", "ReceivedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Supervision_State",
                table: "Petitions",
                columns: new[] { "Supervision", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_ThreadId",
                table: "Petitions",
                column: "ThreadId");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_UnitId_State",
                table: "Petitions",
                columns: new[] { "UnitId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_RepeatDecisions_PetitionId_ThreadId",
                table: "RepeatDecisions",
                columns: new[] { "PetitionId", "ThreadId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Units_Name",
                table: "Units",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WeeklyUnitStatistics_UnitId_WeekMonday",
                table: "WeeklyUnitStatistics",
                columns: new[] { "UnitId", "WeekMonday" });

            migrationBuilder.CreateIndex(
                name: "IX_WeeklyUnitStatistics_WeekMonday_UnitId",
                table: "WeeklyUnitStatistics",
                columns: new[] { "WeekMonday", "UnitId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "AssignmentBatches");

            migrationBuilder.DropTable(
                name: "AssignmentExtensionRequests");

            migrationBuilder.DropTable(
                name: "AssignmentProgress");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "Categories");

            migrationBuilder.DropTable(
                name: "PetitionEvents");

            migrationBuilder.DropTable(
                name: "PetitionPetitioners");

            migrationBuilder.DropTable(
                name: "RepeatDecisions");

            migrationBuilder.DropTable(
                name: "WeeklyUnitStatistics");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "LeaderAssignments");

            migrationBuilder.DropTable(
                name: "Petitioners");

            migrationBuilder.DropTable(
                name: "Petitions");

            migrationBuilder.DropTable(
                name: "Leaders");

            migrationBuilder.DropTable(
                name: "Threads");

            migrationBuilder.DropTable(
                name: "Units");
        }
    }
}
