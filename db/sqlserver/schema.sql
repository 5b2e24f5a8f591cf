IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(450) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(450) NOT NULL,
        [DisplayName] nvarchar(50) NOT NULL,
        [LeaderId] int NULL,
        [Disabled] bit NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AssignmentBatches] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(100) NOT NULL,
        [CreatedOn] date NOT NULL,
        [CreatedAtUtc] datetime2 NOT NULL,
        [CreatedBy] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_AssignmentBatches] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AuditEntries] (
        [Id] bigint NOT NULL IDENTITY,
        [AtUtc] datetime2 NOT NULL,
        [Actor] nvarchar(100) NOT NULL,
        [Action] nvarchar(40) NOT NULL,
        [Entity] nvarchar(60) NULL,
        [EntityKey] nvarchar(60) NULL,
        [Field] nvarchar(60) NULL,
        [OldValue] nvarchar(2000) NULL,
        [NewValue] nvarchar(2000) NULL,
        [CaseNumber] nvarchar(40) NULL,
        [Detail] nvarchar(1000) NULL,
        CONSTRAINT [PK_AuditEntries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [Categories] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(50) NOT NULL,
        [SortOrder] int NOT NULL,
        [Version] int NOT NULL,
        [Active] bit NOT NULL,
        CONSTRAINT [PK_Categories] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [Leaders] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(50) NOT NULL,
        [Title] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_Leaders] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [Petitioners] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(50) NOT NULL,
        [IdNumber] nvarchar(18) NULL,
        [Phone] nvarchar(30) NULL,
        [Address] nvarchar(200) NULL,
        [IdentityKey] nvarchar(120) NOT NULL,
        CONSTRAINT [PK_Petitioners] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [Threads] (
        [Id] int NOT NULL IDENTITY,
        [FirstPetitionId] int NULL,
        [PetitionCount] int NOT NULL,
        [FirstReceivedOn] date NOT NULL,
        [LastReceivedOn] date NOT NULL,
        [BacklogBatchId] int NULL,
        CONSTRAINT [PK_Threads] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [Units] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(100) NOT NULL,
        [Kind] int NOT NULL,
        CONSTRAINT [PK_Units] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(450) NOT NULL,
        [RoleId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(450) NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [LeaderAssignments] (
        [Id] int NOT NULL IDENTITY,
        [ThreadId] int NOT NULL,
        [LeaderId] int NOT NULL,
        [LeadUnitId] int NOT NULL,
        [CoUnits] nvarchar(500) NULL,
        [ResponsiblePerson] nvarchar(50) NOT NULL,
        [StabilityPerson] nvarchar(50) NULL,
        [Plan] nvarchar(2000) NOT NULL,
        [AssignedOn] date NOT NULL,
        [DueOn] date NOT NULL,
        [ExtensionDays] int NOT NULL,
        [Status] int NOT NULL,
        [ResolvedOn] date NULL,
        [ResolutionResult] nvarchar(1000) NULL,
        [BatchId] int NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_LeaderAssignments] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_LeaderAssignments_Leaders_LeaderId] FOREIGN KEY ([LeaderId]) REFERENCES [Leaders] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_LeaderAssignments_Threads_ThreadId] FOREIGN KEY ([ThreadId]) REFERENCES [Threads] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_LeaderAssignments_Units_LeadUnitId] FOREIGN KEY ([LeadUnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [Petitions] (
        [Id] int NOT NULL IDENTITY,
        [CaseNumber] nvarchar(40) NOT NULL,
        [Form] int NOT NULL,
        [Purpose] int NULL,
        [PeopleCount] int NOT NULL,
        [Locality] nvarchar(50) NOT NULL,
        [Category] nvarchar(50) NOT NULL,
        [Demand] nvarchar(2000) NOT NULL,
        [UnitId] int NOT NULL,
        [PetitionerNames] nvarchar(500) NOT NULL,
        [ReceivedOn] date NOT NULL,
        [RegisteredAtUtc] datetime2 NOT NULL,
        [DispatchedOn] date NULL,
        [FirstDecisionOn] date NULL,
        [AcceptedOn] date NULL,
        [SimpleProcedure] bit NOT NULL,
        [ExtensionDays] int NOT NULL,
        [ExtensionReason] nvarchar(500) NULL,
        [ExtensionApprover] nvarchar(50) NULL,
        [RepliedOn] date NULL,
        [ReplyResult] int NULL,
        [Evaluation] int NULL,
        [EvaluatedOn] date NULL,
        [ReviewAcceptedOn] date NULL,
        [ReviewDecidedOn] date NULL,
        [RecheckAcceptedOn] date NULL,
        [FinishedOn] date NULL,
        [State] int NOT NULL,
        [CurrentDueDate] date NULL,
        [Supervision] int NOT NULL,
        [SupervisionRaisedByHand] bit NOT NULL,
        [RemindersSent] int NOT NULL,
        [ThreadId] int NOT NULL,
        [IsRepeat] bit NOT NULL,
        [Version] int NOT NULL,
        CONSTRAINT [PK_Petitions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Petitions_Threads_ThreadId] FOREIGN KEY ([ThreadId]) REFERENCES [Threads] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Petitions_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [WeeklyUnitStatistics] (
        [Id] bigint NOT NULL IDENTITY,
        [WeekYear] int NOT NULL,
        [WeekNumber] int NOT NULL,
        [WeekMonday] date NOT NULL,
        [UnitId] int NULL,
        [NewPetitions] int NOT NULL,
        [FirstPetitions] int NOT NULL,
        [RepeatPetitions] int NOT NULL,
        [GroupVisitBatches] int NOT NULL,
        [GroupVisitPeople] int NOT NULL,
        [FirstDecisionDue] int NOT NULL,
        [FirstDecisionOnTime] int NOT NULL,
        [ReplyDue] int NOT NULL,
        [RepliedOnTime] int NOT NULL,
        [RepliedInWeek] int NOT NULL,
        [Evaluated] int NOT NULL,
        [Satisfied] int NOT NULL,
        [Open] int NOT NULL,
        [Overdue] int NOT NULL,
        [Assignments] int NOT NULL,
        [AssignmentsResolved] int NOT NULL,
        [BacklogThreads] int NOT NULL,
        [BacklogResolved] int NOT NULL,
        [AsOfUtc] datetime2 NOT NULL,
        [Published] bit NOT NULL,
        [PublishedAtUtc] datetime2 NULL,
        [PublishedBy] nvarchar(100) NULL,
        CONSTRAINT [PK_WeeklyUnitStatistics] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_WeeklyUnitStatistics_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AssignmentExtensionRequests] (
        [Id] int NOT NULL IDENTITY,
        [AssignmentId] int NOT NULL,
        [Days] int NOT NULL,
        [Reason] nvarchar(500) NOT NULL,
        [RequestedBy] nvarchar(100) NOT NULL,
        [RequestedOn] date NOT NULL,
        [Status] int NOT NULL,
        [DecidedBy] nvarchar(100) NULL,
        [DecidedOn] date NULL,
        [DecisionNote] nvarchar(500) NULL,
        CONSTRAINT [PK_AssignmentExtensionRequests] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AssignmentExtensionRequests_LeaderAssignments_AssignmentId] FOREIGN KEY ([AssignmentId]) REFERENCES [LeaderAssignments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [AssignmentProgress] (
        [Id] int NOT NULL IDENTITY,
        [AssignmentId] int NOT NULL,
        [On] date NOT NULL,
        [Action] nvarchar(1000) NOT NULL,
        [Actor] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_AssignmentProgress] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AssignmentProgress_LeaderAssignments_AssignmentId] FOREIGN KEY ([AssignmentId]) REFERENCES [LeaderAssignments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [PetitionEvents] (
        [Id] bigint NOT NULL IDENTITY,
        [PetitionId] int NOT NULL,
        [Kind] int NOT NULL,
        [AtUtc] datetime2 NOT NULL,
        [On] date NOT NULL,
        [Actor] nvarchar(100) NOT NULL,
        [FromState] int NULL,
        [ToState] int NULL,
        [Detail] nvarchar(500) NULL,
        [Note] nvarchar(1000) NULL,
        CONSTRAINT [PK_PetitionEvents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PetitionEvents_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [PetitionPetitioners] (
        [PetitionId] int NOT NULL,
        [PetitionerId] int NOT NULL,
        CONSTRAINT [PK_PetitionPetitioners] PRIMARY KEY ([PetitionId], [PetitionerId]),
        CONSTRAINT [FK_PetitionPetitioners_Petitioners_PetitionerId] FOREIGN KEY ([PetitionerId]) REFERENCES [Petitioners] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_PetitionPetitioners_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE TABLE [RepeatDecisions] (
        [Id] int NOT NULL IDENTITY,
        [PetitionId] int NOT NULL,
        [ThreadId] int NOT NULL,
        [AtUtc] datetime2 NOT NULL,
        [Actor] nvarchar(100) NOT NULL,
        [Reason] nvarchar(1000) NOT NULL,
        CONSTRAINT [PK_RepeatDecisions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_RepeatDecisions_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AssignmentExtensionRequests_AssignmentId] ON [AssignmentExtensionRequests] ([AssignmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AssignmentExtensionRequests_Status_AssignmentId] ON [AssignmentExtensionRequests] ([Status], [AssignmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AssignmentProgress_AssignmentId] ON [AssignmentProgress] ([AssignmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_Actor_AtUtc] ON [AuditEntries] ([Actor], [AtUtc]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_AtUtc] ON [AuditEntries] ([AtUtc]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditEntries_CaseNumber_AtUtc] ON [AuditEntries] ([CaseNumber], [AtUtc]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Categories_Name] ON [Categories] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_LeaderAssignments_BatchId] ON [LeaderAssignments] ([BatchId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_LeaderAssignments_LeaderId_Status] ON [LeaderAssignments] ([LeaderId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_LeaderAssignments_LeadUnitId] ON [LeaderAssignments] ([LeadUnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_LeaderAssignments_ThreadId_Status] ON [LeaderAssignments] ([ThreadId], [Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UX_LeaderAssignments_OpenPerThread] ON [LeaderAssignments] ([ThreadId]) WHERE "Status" IN (1, 3)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitioners_IdentityKey] ON [Petitioners] ([IdentityKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_PetitionEvents_PetitionId_Id] ON [PetitionEvents] ([PetitionId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_PetitionPetitioners_PetitionerId] ON [PetitionPetitioners] ([PetitionerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Petitions_CaseNumber] ON [Petitions] ([CaseNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitions_Category_State] ON [Petitions] ([Category], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitions_ReceivedOn_IsRepeat] ON [Petitions] ([ReceivedOn], [IsRepeat]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitions_State_CurrentDueDate] ON [Petitions] ([State], [CurrentDueDate]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitions_State_ReceivedOn] ON [Petitions] ([State], [ReceivedOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitions_Supervision_State] ON [Petitions] ([Supervision], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitions_ThreadId] ON [Petitions] ([ThreadId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_Petitions_UnitId_State] ON [Petitions] ([UnitId], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_RepeatDecisions_PetitionId_ThreadId] ON [RepeatDecisions] ([PetitionId], [ThreadId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Units_Name] ON [Units] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    CREATE INDEX [IX_WeeklyUnitStatistics_UnitId_WeekMonday] ON [WeeklyUnitStatistics] ([UnitId], [WeekMonday]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_WeeklyUnitStatistics_WeekMonday_UnitId] ON [WeeklyUnitStatistics] ([WeekMonday], [UnitId]) WHERE [UnitId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261123115728_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261123115728_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130072609_BatchForeignKeysAndRelapseDate'
)
BEGIN
    UPDATE [Threads] SET [BacklogBatchId] = NULL WHERE [BacklogBatchId] IS NOT NULL AND [BacklogBatchId] NOT IN (SELECT [Id] FROM [AssignmentBatches])
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130072609_BatchForeignKeysAndRelapseDate'
)
BEGIN
    UPDATE [LeaderAssignments] SET [BatchId] = NULL WHERE [BatchId] IS NOT NULL AND [BatchId] NOT IN (SELECT [Id] FROM [AssignmentBatches])
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130072609_BatchForeignKeysAndRelapseDate'
)
BEGIN
    ALTER TABLE [LeaderAssignments] ADD [RelapsedOn] date NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130072609_BatchForeignKeysAndRelapseDate'
)
BEGIN
    CREATE INDEX [IX_Threads_BacklogBatchId] ON [Threads] ([BacklogBatchId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130072609_BatchForeignKeysAndRelapseDate'
)
BEGIN
    ALTER TABLE [LeaderAssignments] ADD CONSTRAINT [FK_LeaderAssignments_AssignmentBatches_BatchId] FOREIGN KEY ([BatchId]) REFERENCES [AssignmentBatches] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130072609_BatchForeignKeysAndRelapseDate'
)
BEGIN
    ALTER TABLE [Threads] ADD CONSTRAINT [FK_Threads_AssignmentBatches_BacklogBatchId] FOREIGN KEY ([BacklogBatchId]) REFERENCES [AssignmentBatches] ([Id]) ON DELETE NO ACTION;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130072609_BatchForeignKeysAndRelapseDate'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130072609_BatchForeignKeysAndRelapseDate', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130074149_MultiNode'
)
BEGIN
    CREATE TABLE [DataProtectionKeys] (
        [Id] int NOT NULL IDENTITY,
        [FriendlyName] nvarchar(max) NULL,
        [Xml] nvarchar(max) NULL,
        CONSTRAINT [PK_DataProtectionKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130074149_MultiNode'
)
BEGIN
    CREATE TABLE [PreparedFiles] (
        [Id] uniqueidentifier NOT NULL,
        [Owner] nvarchar(256) NOT NULL,
        [Kind] nvarchar(50) NOT NULL,
        [Key] nvarchar(300) NOT NULL,
        [DownloadName] nvarchar(300) NOT NULL,
        [Length] bigint NOT NULL,
        [CreatedUtc] datetime2 NOT NULL,
        CONSTRAINT [PK_PreparedFiles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130074149_MultiNode'
)
BEGIN
    CREATE TABLE [PreparedFileChunks] (
        [FileId] uniqueidentifier NOT NULL,
        [Index] int NOT NULL,
        [Bytes] varbinary(max) NOT NULL,
        CONSTRAINT [PK_PreparedFileChunks] PRIMARY KEY ([FileId], [Index]),
        CONSTRAINT [FK_PreparedFileChunks_PreparedFiles_FileId] FOREIGN KEY ([FileId]) REFERENCES [PreparedFiles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130074149_MultiNode'
)
BEGIN
    CREATE INDEX [IX_PreparedFiles_CreatedUtc] ON [PreparedFiles] ([CreatedUtc]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130074149_MultiNode'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130074149_MultiNode', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130084054_CaseHandlingAndExternalNumber'
)
BEGIN
    ALTER TABLE [Petitions] ADD [ExternalNumber] nvarchar(40) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130084054_CaseHandlingAndExternalNumber'
)
BEGIN
    ALTER TABLE [Petitions] ADD [PendingExtensionDays] int NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130084054_CaseHandlingAndExternalNumber'
)
BEGIN
    ALTER TABLE [Petitions] ADD [PendingExtensionReason] nvarchar(500) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130084054_CaseHandlingAndExternalNumber'
)
BEGIN
    ALTER TABLE [Petitions] ADD [PendingExtensionRequestedBy] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130084054_CaseHandlingAndExternalNumber'
)
BEGIN
    ALTER TABLE [Petitions] ADD [PendingExtensionRequestedOn] date NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130084054_CaseHandlingAndExternalNumber'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Petitions_ExternalNumber] ON [Petitions] ([ExternalNumber]) WHERE "ExternalNumber" IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130084054_CaseHandlingAndExternalNumber'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130084054_CaseHandlingAndExternalNumber', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130093009_ScoringSchemes'
)
BEGIN
    CREATE TABLE [PublishedWeekSchemes] (
        [Id] int NOT NULL IDENTITY,
        [WeekMonday] date NOT NULL,
        [SchemeName] nvarchar(50) NOT NULL,
        [SchemeVersion] int NOT NULL,
        [Definition] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_PublishedWeekSchemes] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130093009_ScoringSchemes'
)
BEGIN
    CREATE TABLE [SavedScoringSchemes] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(50) NOT NULL,
        [Version] int NOT NULL,
        [Definition] nvarchar(max) NOT NULL,
        [SavedAtUtc] datetime2 NOT NULL,
        [SavedBy] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_SavedScoringSchemes] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130093009_ScoringSchemes'
)
BEGIN
    CREATE TABLE [ScoringSchemeChoices] (
        [Id] int NOT NULL IDENTITY,
        [SchemeName] nvarchar(50) NOT NULL,
        [ChosenAtUtc] datetime2 NOT NULL,
        [ChosenBy] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_ScoringSchemeChoices] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130093009_ScoringSchemes'
)
BEGIN
    CREATE UNIQUE INDEX [IX_PublishedWeekSchemes_WeekMonday] ON [PublishedWeekSchemes] ([WeekMonday]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130093009_ScoringSchemes'
)
BEGIN
    CREATE UNIQUE INDEX [IX_SavedScoringSchemes_Name_Version] ON [SavedScoringSchemes] ([Name], [Version]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130093009_ScoringSchemes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130093009_ScoringSchemes', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130103557_RecomputeRunsAndHolidayCalendars'
)
BEGIN
    CREATE TABLE [HolidayCalendarRevisions] (
        [Id] int NOT NULL,
        [Number] bigint NOT NULL,
        CONSTRAINT [PK_HolidayCalendarRevisions] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130103557_RecomputeRunsAndHolidayCalendars'
)
BEGIN
    CREATE TABLE [HolidayCalendarYears] (
        [Year] int NOT NULL,
        [Json] nvarchar(max) NOT NULL,
        [AddedByAdmin] bit NOT NULL,
        [SavedAtUtc] datetime2 NOT NULL,
        [SavedBy] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_HolidayCalendarYears] PRIMARY KEY ([Year])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130103557_RecomputeRunsAndHolidayCalendars'
)
BEGIN
    CREATE TABLE [RecomputeRuns] (
        [Id] bigint NOT NULL IDENTITY,
        [Slot] int NULL,
        [Occurrence] nvarchar(10) NULL,
        [State] nvarchar(20) NOT NULL,
        [RequestedBy] nvarchar(100) NOT NULL,
        [RequestedAtUtc] datetime2 NOT NULL,
        [StartedAtUtc] datetime2 NULL,
        [FinishedAtUtc] datetime2 NULL,
        [HeartbeatUtc] datetime2 NOT NULL,
        [Attempt] int NOT NULL,
        [Done] int NOT NULL,
        [Total] int NOT NULL,
        [CurrentWeek] nvarchar(10) NULL,
        [Weeks] nvarchar(2000) NULL,
        [SkippedWeeks] nvarchar(2000) NULL,
        [ElapsedMilliseconds] bigint NULL,
        [Error] nvarchar(500) NULL,
        CONSTRAINT [PK_RecomputeRuns] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130103557_RecomputeRunsAndHolidayCalendars'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_RecomputeRuns_Occurrence] ON [RecomputeRuns] ([Occurrence]) WHERE [Occurrence] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130103557_RecomputeRunsAndHolidayCalendars'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_RecomputeRuns_Slot] ON [RecomputeRuns] ([Slot]) WHERE [Slot] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130103557_RecomputeRunsAndHolidayCalendars'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130103557_RecomputeRunsAndHolidayCalendars', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    ALTER TABLE [AspNetUsers] ADD [MustChangePassword] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    ALTER TABLE [AspNetUsers] ADD [PasswordChangedAtUtc] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    CREATE TABLE [PasswordHistory] (
        [Id] bigint NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [PasswordHash] nvarchar(200) NOT NULL,
        [SetAtUtc] datetime2 NOT NULL,
        CONSTRAINT [PK_PasswordHistory] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PasswordHistory_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    CREATE TABLE [UserSessions] (
        [Id] nvarchar(32) NOT NULL,
        [UserId] nvarchar(450) NOT NULL,
        [StartedAtUtc] datetime2 NOT NULL,
        [LastActivityAtUtc] datetime2 NOT NULL,
        [EndedAtUtc] datetime2 NULL,
        [EndReason] nvarchar(32) NULL,
        CONSTRAINT [PK_UserSessions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_UserSessions_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    CREATE INDEX [IX_PasswordHistory_UserId_SetAtUtc] ON [PasswordHistory] ([UserId], [SetAtUtc]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    CREATE INDEX [IX_UserSessions_UserId_EndedAtUtc] ON [UserSessions] ([UserId], [EndedAtUtc]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    UPDATE "AspNetRoles" SET "Name" = 'SystemAdmin', "NormalizedName" = 'SYSTEMADMIN' WHERE "NormalizedName" = 'ADMIN';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130110820_SessionsAndSeparatedAdministrators'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130110820_SessionsAndSeparatedAdministrators', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    ALTER TABLE [PreparedFiles] ADD [Kept] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE TABLE [GeneratedDocuments] (
        [Id] int NOT NULL IDENTITY,
        [Kind] int NOT NULL,
        [WeekMonday] date NOT NULL,
        [GeneratedAtUtc] datetime2 NOT NULL,
        [GeneratedBy] nvarchar(100) NOT NULL,
        [FileId] uniqueidentifier NULL,
        [UnitCount] int NULL,
        [RemindersAdded] int NULL,
        CONSTRAINT [PK_GeneratedDocuments] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE TABLE [LeaderInstructions] (
        [Id] int NOT NULL IDENTITY,
        [PetitionId] int NOT NULL,
        [ThreadId] int NULL,
        [LeaderId] int NOT NULL,
        [Text] nvarchar(500) NOT NULL,
        [WrittenOn] date NOT NULL,
        [WrittenAtUtc] datetime2 NOT NULL,
        [WrittenBy] nvarchar(100) NOT NULL,
        [DueOn] date NOT NULL,
        [Important] bit NOT NULL,
        CONSTRAINT [PK_LeaderInstructions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_LeaderInstructions_Leaders_LeaderId] FOREIGN KEY ([LeaderId]) REFERENCES [Leaders] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_LeaderInstructions_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_LeaderInstructions_Threads_ThreadId] FOREIGN KEY ([ThreadId]) REFERENCES [Threads] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE TABLE [NoticeReminders] (
        [PetitionId] int NOT NULL,
        [WeekMonday] date NOT NULL,
        [DocumentId] int NOT NULL,
        CONSTRAINT [PK_NoticeReminders] PRIMARY KEY ([PetitionId], [WeekMonday]),
        CONSTRAINT [FK_NoticeReminders_GeneratedDocuments_DocumentId] FOREIGN KEY ([DocumentId]) REFERENCES [GeneratedDocuments] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_NoticeReminders_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE TABLE [SupervisionNotices] (
        [Id] int NOT NULL IDENTITY,
        [DocumentId] int NOT NULL,
        [UnitId] int NOT NULL,
        [ResponseDueOn] date NOT NULL,
        [OverdueCount] int NOT NULL,
        [ListedCount] int NOT NULL,
        [AssignmentCount] int NOT NULL,
        [FileId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_SupervisionNotices] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SupervisionNotices_GeneratedDocuments_DocumentId] FOREIGN KEY ([DocumentId]) REFERENCES [GeneratedDocuments] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_SupervisionNotices_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE TABLE [InstructionUnits] (
        [Id] int NOT NULL IDENTITY,
        [InstructionId] int NOT NULL,
        [UnitId] int NOT NULL,
        [RespondedOn] date NULL,
        [ResponseText] nvarchar(1000) NULL,
        [AttachmentName] nvarchar(200) NULL,
        [RecordedBy] nvarchar(100) NULL,
        [RecordedAtUtc] datetime2 NULL,
        CONSTRAINT [PK_InstructionUnits] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_InstructionUnits_LeaderInstructions_InstructionId] FOREIGN KEY ([InstructionId]) REFERENCES [LeaderInstructions] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_InstructionUnits_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_GeneratedDocuments_GeneratedAtUtc] ON [GeneratedDocuments] ([GeneratedAtUtc]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_GeneratedDocuments_Kind_WeekMonday] ON [GeneratedDocuments] ([Kind], [WeekMonday]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE UNIQUE INDEX [IX_InstructionUnits_InstructionId_UnitId] ON [InstructionUnits] ([InstructionId], [UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_InstructionUnits_UnitId] ON [InstructionUnits] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_LeaderInstructions_DueOn] ON [LeaderInstructions] ([DueOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_LeaderInstructions_LeaderId_WrittenOn] ON [LeaderInstructions] ([LeaderId], [WrittenOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_LeaderInstructions_PetitionId] ON [LeaderInstructions] ([PetitionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_LeaderInstructions_ThreadId] ON [LeaderInstructions] ([ThreadId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_NoticeReminders_DocumentId] ON [NoticeReminders] ([DocumentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_SupervisionNotices_DocumentId] ON [SupervisionNotices] ([DocumentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    CREATE INDEX [IX_SupervisionNotices_UnitId] ON [SupervisionNotices] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111114_InstructionsAndNotices'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130111114_InstructionsAndNotices', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111523_PersonalDataEncrypted'
)
BEGIN
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Petitioners]') AND [c].[name] = N'Phone');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [Petitioners] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [Petitioners] ALTER COLUMN [Phone] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111523_PersonalDataEncrypted'
)
BEGIN
    DECLARE @var1 nvarchar(max);
    SELECT @var1 = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[Petitioners]') AND [c].[name] = N'IdNumber');
    IF @var1 IS NOT NULL EXEC(N'ALTER TABLE [Petitioners] DROP CONSTRAINT ' + @var1 + ';');
    ALTER TABLE [Petitioners] ALTER COLUMN [IdNumber] nvarchar(200) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111523_PersonalDataEncrypted'
)
BEGIN
    ALTER TABLE [Petitioners] ADD [IdentitySource] nvarchar(400) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111523_PersonalDataEncrypted'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130111523_PersonalDataEncrypted', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    DROP INDEX [IX_Petitions_State_CurrentDueDate] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    DROP INDEX [IX_Petitions_State_ReceivedOn] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    CREATE INDEX [IX_Petitions_Category_ReceivedOn] ON [Petitions] ([Category], [ReceivedOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_Due] ON [Petitions] ([CurrentDueDate], [CaseNumber], [ReceivedOn], [Supervision], [UnitId], [Form], [IsRepeat], [ThreadId]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_Received] ON [Petitions] ([ReceivedOn], [CaseNumber]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    CREATE SEQUENCE [ChangeFeed] AS bigint START WITH 1 INCREMENT BY 1;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    CREATE TRIGGER [TR_Petitions_change] ON [Petitions] AFTER INSERT, UPDATE, DELETE AS
    BEGIN SET NOCOUNT ON; DECLARE @v bigint = NEXT VALUE FOR [ChangeFeed]; END;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    CREATE TRIGGER [TR_LeaderAssignments_change] ON [LeaderAssignments] AFTER INSERT, UPDATE, DELETE AS
    BEGIN SET NOCOUNT ON; DECLARE @v bigint = NEXT VALUE FOR [ChangeFeed]; END;
END;

COMMIT;
GO

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    IF SERVERPROPERTY('IsFullTextInstalled') = 1 AND NOT EXISTS (SELECT 1 FROM sys.fulltext_catalogs WHERE name = 'PetitionSearch')
        CREATE FULLTEXT CATALOG [PetitionSearch];
END;
GO

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    IF SERVERPROPERTY('IsFullTextInstalled') = 1 AND NOT EXISTS (SELECT 1 FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('Petitions'))
        CREATE FULLTEXT INDEX ON [Petitions] ([CaseNumber] LANGUAGE 2052, [PetitionerNames] LANGUAGE 2052, [Demand] LANGUAGE 2052)
        KEY INDEX [PK_Petitions] ON [PetitionSearch] WITH CHANGE_TRACKING AUTO;
END;
GO

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130111800_PerfSearchAndChangeFeed'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130111800_PerfSearchAndChangeFeed', N'10.0.15');
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130124249_MaintenanceMarkers'
)
BEGIN
    CREATE TABLE [MaintenanceMarkers] (
        [Name] nvarchar(64) NOT NULL,
        [DoneAtUtc] datetime2 NOT NULL,
        CONSTRAINT [PK_MaintenanceMarkers] PRIMARY KEY ([Name])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130124249_MaintenanceMarkers'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130124249_MaintenanceMarkers', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135212_AuditActorClassAndSealedDownloads'
)
BEGIN
    ALTER TABLE [PreparedFiles] ADD [KeyId] nvarchar(20) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135212_AuditActorClassAndSealedDownloads'
)
BEGIN
    ALTER TABLE [AuditEntries] ADD [ActorClass] nvarchar(16) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135212_AuditActorClassAndSealedDownloads'
)
BEGIN
    UPDATE "AuditEntries" SET "ActorClass" = 'System' WHERE "Actor" = N'系统' OR "Actor" LIKE N'系统（%';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135212_AuditActorClassAndSealedDownloads'
)
BEGIN
    UPDATE "AuditEntries" SET "ActorClass" = 'Administrator'
    WHERE "ActorClass" IS NULL AND UPPER("Actor") IN (
        SELECT u."NormalizedUserName" FROM "AspNetUsers" u
        JOIN "AspNetUserRoles" ur ON ur."UserId" = u."Id"
        JOIN "AspNetRoles" r ON r."Id" = ur."RoleId"
        WHERE r."NormalizedName" IN ('SYSTEMADMIN', 'SECURITYADMIN', 'AUDITADMIN'));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135212_AuditActorClassAndSealedDownloads'
)
BEGIN
    UPDATE "AuditEntries" SET "ActorClass" = 'Business' WHERE "ActorClass" IS NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135212_AuditActorClassAndSealedDownloads'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130135212_AuditActorClassAndSealedDownloads', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    ALTER TABLE [Petitions] ADD [ThreadChangedOn] date NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    ALTER TABLE [Petitions] ADD [UnitChangedOn] date NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE TABLE [AssignmentResolutions] (
        [Id] bigint NOT NULL IDENTITY,
        [AssignmentId] int NOT NULL,
        [ResolvedOn] date NOT NULL,
        [RelapsedOn] date NULL,
        CONSTRAINT [PK_AssignmentResolutions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AssignmentResolutions_LeaderAssignments_AssignmentId] FOREIGN KEY ([AssignmentId]) REFERENCES [LeaderAssignments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE TABLE [PetitionThreadChanges] (
        [Id] bigint NOT NULL IDENTITY,
        [PetitionId] int NOT NULL,
        [On] date NOT NULL,
        [AtUtc] datetime2 NOT NULL,
        [FromThreadId] int NOT NULL,
        [FromIsRepeat] bit NOT NULL,
        [ToThreadId] int NOT NULL,
        [ToIsRepeat] bit NOT NULL,
        CONSTRAINT [PK_PetitionThreadChanges] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PetitionThreadChanges_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE TABLE [PetitionUnitChanges] (
        [Id] bigint NOT NULL IDENTITY,
        [PetitionId] int NOT NULL,
        [On] date NOT NULL,
        [AtUtc] datetime2 NOT NULL,
        [FromUnitId] int NOT NULL,
        [ToUnitId] int NOT NULL,
        CONSTRAINT [PK_PetitionUnitChanges] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PetitionUnitChanges_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_PetitionUnitChanges_Units_FromUnitId] FOREIGN KEY ([FromUnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_PetitionUnitChanges_Units_ToUnitId] FOREIGN KEY ([ToUnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE INDEX [IX_AssignmentResolutions_AssignmentId_ResolvedOn] ON [AssignmentResolutions] ([AssignmentId], [ResolvedOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE INDEX [IX_PetitionThreadChanges_PetitionId_On] ON [PetitionThreadChanges] ([PetitionId], [On]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE INDEX [IX_PetitionUnitChanges_FromUnitId] ON [PetitionUnitChanges] ([FromUnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE INDEX [IX_PetitionUnitChanges_PetitionId_On] ON [PetitionUnitChanges] ([PetitionId], [On]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    CREATE INDEX [IX_PetitionUnitChanges_ToUnitId] ON [PetitionUnitChanges] ([ToUnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    INSERT INTO "AssignmentResolutions" ("AssignmentId", "ResolvedOn", "RelapsedOn")
    SELECT "Id", "ResolvedOn", CASE WHEN "Status" = 3 AND "RelapsedOn" >= "ResolvedOn" THEN "RelapsedOn" ELSE NULL END
    FROM "LeaderAssignments" WHERE "ResolvedOn" IS NOT NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135409_DatedHistoryForStatistics'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130135409_DatedHistoryForStatistics', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135627_RiskScore'
)
BEGIN
    CREATE TABLE [RiskModels] (
        [Id] int NOT NULL IDENTITY,
        [TrainedAtUtc] datetime2 NOT NULL,
        [CutoffOn] date NOT NULL,
        [EvaluatedToOn] date NOT NULL,
        [TrainPetitions] int NOT NULL,
        [TrainSamples] int NOT NULL,
        [TrainPositives] int NOT NULL,
        [EvalPetitions] int NOT NULL,
        [EvalSamples] int NOT NULL,
        [EvalPositives] int NOT NULL,
        [Auc] float NOT NULL,
        [TopFivePrecision] float NOT NULL,
        [TopTenPrecision] float NOT NULL,
        [BaselineAuc] float NOT NULL,
        [BaselineTopFivePrecision] float NOT NULL,
        [BaselineTopTenPrecision] float NOT NULL,
        [HighThreshold] float NOT NULL,
        [Deployed] bit NOT NULL,
        [NotDeployedReason] nvarchar(500) NULL,
        [TrainingMilliseconds] bigint NOT NULL,
        [ScoringMilliseconds] bigint NOT NULL,
        [ScoredPetitions] int NOT NULL,
        [TrainedBy] nvarchar(100) NOT NULL,
        [Model] varbinary(max) NULL,
        [Reference] nvarchar(max) NULL,
        CONSTRAINT [PK_RiskModels] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135627_RiskScore'
)
BEGIN
    CREATE TABLE [RiskScores] (
        [PetitionId] int NOT NULL,
        [Score] float NOT NULL,
        [High] bit NOT NULL,
        [ModelId] int NOT NULL,
        [ScoredAtUtc] datetime2 NOT NULL,
        [Reasons] nvarchar(1000) NULL,
        CONSTRAINT [PK_RiskScores] PRIMARY KEY ([PetitionId]),
        CONSTRAINT [FK_RiskScores_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135627_RiskScore'
)
BEGIN
    CREATE INDEX [IX_RiskModels_Deployed_Id] ON [RiskModels] ([Deployed], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135627_RiskScore'
)
BEGIN
    CREATE INDEX [IX_RiskScores_High_PetitionId] ON [RiskScores] ([High], [PetitionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135627_RiskScore'
)
BEGIN
    CREATE INDEX [IX_RiskScores_Score] ON [RiskScores] ([Score]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135627_RiskScore'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130135627_RiskScore', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135825_LedgerProfiles'
)
BEGIN
    CREATE TABLE [LedgerProfiles] (
        [Id] int NOT NULL IDENTITY,
        [Name] nvarchar(50) NOT NULL,
        [HeaderSet] nvarchar(max) NOT NULL,
        [Mapping] nvarchar(max) NOT NULL,
        [SavedAtUtc] datetime2 NOT NULL,
        [SavedBy] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_LedgerProfiles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135825_LedgerProfiles'
)
BEGIN
    CREATE UNIQUE INDEX [IX_LedgerProfiles_Name] ON [LedgerProfiles] ([Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130135825_LedgerProfiles'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130135825_LedgerProfiles', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    ALTER TABLE [WeeklyUnitStatistics] ADD [ReceptionBatches] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    ALTER TABLE [WeeklyUnitStatistics] ADD [ReceptionPeople] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    ALTER TABLE [WeeklyUnitStatistics] ADD [ReceptionResolved] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    ALTER TABLE [Petitions] ADD [LeaderReceptionOn] date NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE TABLE [LeaderVisits] (
        [Id] int NOT NULL IDENTITY,
        [LeaderId] int NOT NULL,
        [Locality] nvarchar(100) NOT NULL,
        [On] date NOT NULL,
        [Record] nvarchar(1000) NOT NULL,
        [RecordedAtUtc] datetime2 NOT NULL,
        [RecordedBy] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_LeaderVisits] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_LeaderVisits_Leaders_LeaderId] FOREIGN KEY ([LeaderId]) REFERENCES [Leaders] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE TABLE [ReceptionDays] (
        [Id] int NOT NULL IDENTITY,
        [On] date NOT NULL,
        [HalfDay] int NOT NULL,
        [Place] nvarchar(100) NOT NULL,
        [LeaderId] int NOT NULL,
        [Topic] nvarchar(200) NULL,
        [Capacity] int NOT NULL,
        [PublishedAtUtc] datetime2 NOT NULL,
        [PublishedBy] nvarchar(100) NOT NULL,
        CONSTRAINT [PK_ReceptionDays] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ReceptionDays_Leaders_LeaderId] FOREIGN KEY ([LeaderId]) REFERENCES [Leaders] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE TABLE [LeaderVisitPetitions] (
        [VisitId] int NOT NULL,
        [PetitionId] int NOT NULL,
        CONSTRAINT [PK_LeaderVisitPetitions] PRIMARY KEY ([VisitId], [PetitionId]),
        CONSTRAINT [FK_LeaderVisitPetitions_LeaderVisits_VisitId] FOREIGN KEY ([VisitId]) REFERENCES [LeaderVisits] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_LeaderVisitPetitions_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE TABLE [ReceptionBookings] (
        [Id] int NOT NULL IDENTITY,
        [ReceptionDayId] int NOT NULL,
        [PetitionerId] int NOT NULL,
        [PeopleCount] int NOT NULL,
        [PetitionId] int NULL,
        [Locality] nvarchar(100) NULL,
        [Category] nvarchar(50) NULL,
        [Demand] nvarchar(2000) NULL,
        [UnitId] int NULL,
        [WalkIn] bit NOT NULL,
        [BookedAtUtc] datetime2 NOT NULL,
        [BookedBy] nvarchar(100) NOT NULL,
        [Attended] bit NULL,
        [Asked] nvarchar(1000) NULL,
        [MinutesSpent] int NULL,
        [Decision] int NULL,
        [DecisionUnitId] int NULL,
        [DecisionDueOn] date NULL,
        [AssignmentId] int NULL,
        [RecordedBy] nvarchar(100) NULL,
        [RecordedAtUtc] datetime2 NULL,
        CONSTRAINT [PK_ReceptionBookings] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ReceptionBookings_LeaderAssignments_AssignmentId] FOREIGN KEY ([AssignmentId]) REFERENCES [LeaderAssignments] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_ReceptionBookings_Petitioners_PetitionerId] FOREIGN KEY ([PetitionerId]) REFERENCES [Petitioners] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_ReceptionBookings_Petitions_PetitionId] FOREIGN KEY ([PetitionId]) REFERENCES [Petitions] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_ReceptionBookings_ReceptionDays_ReceptionDayId] FOREIGN KEY ([ReceptionDayId]) REFERENCES [ReceptionDays] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_ReceptionBookings_Units_DecisionUnitId] FOREIGN KEY ([DecisionUnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_ReceptionBookings_Units_UnitId] FOREIGN KEY ([UnitId]) REFERENCES [Units] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_LeaderReceptionOn] ON [Petitions] ([LeaderReceptionOn]) WHERE "LeaderReceptionOn" IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_LeaderVisitPetitions_PetitionId] ON [LeaderVisitPetitions] ([PetitionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_LeaderVisits_LeaderId_On] ON [LeaderVisits] ([LeaderId], [On]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_LeaderVisits_Locality_On] ON [LeaderVisits] ([Locality], [On]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_ReceptionBookings_AssignmentId] ON [ReceptionBookings] ([AssignmentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_ReceptionBookings_DecisionUnitId] ON [ReceptionBookings] ([DecisionUnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_ReceptionBookings_PetitionerId] ON [ReceptionBookings] ([PetitionerId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_ReceptionBookings_PetitionId] ON [ReceptionBookings] ([PetitionId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_ReceptionBookings_ReceptionDayId] ON [ReceptionBookings] ([ReceptionDayId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_ReceptionBookings_UnitId] ON [ReceptionBookings] ([UnitId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ReceptionDays_LeaderId_On_HalfDay] ON [ReceptionDays] ([LeaderId], [On], [HalfDay]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    CREATE INDEX [IX_ReceptionDays_On] ON [ReceptionDays] ([On]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130140105_LeaderReceptions'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130140105_LeaderReceptions', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    DROP INDEX [IX_Petitions_Category_ReceivedOn] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    DROP INDEX [IX_Petitions_Open_Due] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    DROP INDEX [IX_Petitions_Open_Received] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    CREATE INDEX [IX_Petitions_Category_ReceivedOn] ON [Petitions] ([Category], [ReceivedOn], [CaseNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_Due] ON [Petitions] ([CurrentDueDate], [CaseNumber], [ReceivedOn], [Supervision], [UnitId], [Form], [IsRepeat], [ThreadId], [Category]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_Petitioner] ON [Petitions] ([PetitionerNames], [CaseNumber], [CurrentDueDate], [ReceivedOn], [Supervision], [UnitId], [Form], [IsRepeat], [ThreadId], [Category]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_Received] ON [Petitions] ([ReceivedOn], [CaseNumber], [CurrentDueDate], [Supervision], [UnitId], [Form], [IsRepeat], [ThreadId], [Category]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_Supervision] ON [Petitions] ([Supervision], [CaseNumber], [CurrentDueDate], [ReceivedOn], [UnitId], [Form], [IsRepeat], [ThreadId], [Category]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_SupervisionDesc] ON [Petitions] ([Supervision] DESC, [CaseNumber], [CurrentDueDate], [ReceivedOn], [UnitId], [Form], [IsRepeat], [ThreadId], [Category]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Petitions_Open_Unit] ON [Petitions] ([UnitId], [CaseNumber], [CurrentDueDate], [ReceivedOn], [Supervision], [Form], [IsRepeat], [ThreadId], [Category]) WHERE "State" IN (1, 2, 3, 4, 6, 8)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    CREATE INDEX [IX_Petitions_PetitionerNames_CaseNumber] ON [Petitions] ([PetitionerNames], [CaseNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    CREATE INDEX [IX_Petitions_UnitId_CaseNumber] ON [Petitions] ([UnitId], [CaseNumber]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    CREATE INDEX [IX_Petitions_Repeat_CaseNumber] ON [Petitions] ([CaseNumber]) WHERE [IsRepeat] = 1;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130151453_GridIndexes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130151453_GridIndexes', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130162849_RepeatsPageIndexes'
)
BEGIN
    DROP INDEX [IX_Petitions_ThreadId] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130162849_RepeatsPageIndexes'
)
BEGIN
    EXEC(N'CREATE INDEX [IX_Threads_Repeats_LastReceivedOn] ON [Threads] ([LastReceivedOn], [FirstReceivedOn]) WHERE "PetitionCount" >= 2');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130162849_RepeatsPageIndexes'
)
BEGIN
    CREATE INDEX [IX_Petitions_ThreadId_ReceivedOn] ON [Petitions] ([ThreadId], [ReceivedOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130162849_RepeatsPageIndexes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130162849_RepeatsPageIndexes', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130163726_StatisticsIndexes'
)
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = 'IX_Petitions_Statistics' AND object_id = OBJECT_ID('Petitions')) CREATE INDEX [IX_Petitions_Statistics] ON [Petitions] ([ReceivedOn]) INCLUDE ([FinishedOn], [AcceptedOn], [RepliedOn], [DispatchedOn], [FirstDecisionOn], [ExtensionDays], [SimpleProcedure], [Evaluation], [Form], [PeopleCount], [RecheckAcceptedOn], [ReviewAcceptedOn], [ReviewDecidedOn], [IsRepeat], [ThreadId], [ThreadChangedOn], [UnitId], [UnitChangedOn], [LeaderReceptionOn]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261130163726_StatisticsIndexes'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261130163726_StatisticsIndexes', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201043212_ReceptionRecordClaim'
)
BEGIN
    ALTER TABLE [ReceptionBookings] ADD [RecordingSinceUtc] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201043212_ReceptionRecordClaim'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201043212_ReceptionRecordClaim', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201165017_ChangeFeedCommitted'
)
BEGIN
    CREATE TRIGGER [TR_RiskScores_change] ON [RiskScores] AFTER INSERT, UPDATE, DELETE AS
    BEGIN SET NOCOUNT ON; DECLARE @v bigint = NEXT VALUE FOR [ChangeFeed]; END;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201165017_ChangeFeedCommitted'
)
BEGIN
    CREATE TRIGGER [TR_RiskModels_change] ON [RiskModels] AFTER INSERT, UPDATE, DELETE AS
    BEGIN SET NOCOUNT ON; DECLARE @v bigint = NEXT VALUE FOR [ChangeFeed]; END;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201165017_ChangeFeedCommitted'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201165017_ChangeFeedCommitted', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201181836_SupervisionCaseNumberIndex'
)
BEGIN
    DROP INDEX [IX_Petitions_Supervision_State] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201181836_SupervisionCaseNumberIndex'
)
BEGIN
    CREATE INDEX [IX_Petitions_Supervision_CaseNumber_State] ON [Petitions] ([Supervision], [CaseNumber], [State]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261201181836_SupervisionCaseNumberIndex'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261201181836_SupervisionCaseNumberIndex', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202015841_PetitionerIdentityTail'
)
BEGIN
    DROP INDEX [IX_Petitioners_IdentityKey] ON [Petitioners];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202015841_PetitionerIdentityTail'
)
BEGIN
    EXEC(N'ALTER TABLE [Petitioners] ADD [IdentityTail] AS RIGHT("IdentityKey", 11)');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202015841_PetitionerIdentityTail'
)
BEGIN
    CREATE INDEX [IX_Petitioners_IdentityTail] ON [Petitioners] ([IdentityTail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202015841_PetitionerIdentityTail'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202015841_PetitionerIdentityTail', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202035406_PetitionIndexesForImport'
)
BEGIN
    DROP INDEX [IX_Petitions_ReceivedOn_IsRepeat] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202035406_PetitionIndexesForImport'
)
BEGIN
    DROP INDEX [IX_Petitions_UnitId_State] ON [Petitions];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261202035406_PetitionIndexesForImport'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261202035406_PetitionIndexesForImport', N'10.0.15');
END;

COMMIT;
GO

