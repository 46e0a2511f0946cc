// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ISubnet, Resources, WeTEE} from "./WeTEE.sol";

/// @title Subnet: regions, levels, workers, platform identities, complaints and secret nodes.
/// @notice The admin (owner, Ownable2Step) holds every setter and resolves complaints; it is meant to be handed to
/// a TimelockController with `transferOwnership(timelock)` followed by the timelock's `acceptOwnership()`.
/// Amounts are in the chain's native token (wei). Prices are per block: cpu per milli-core, memory per MiB,
/// disk per GiB, gpu per unit. Stakes, slash shares, returned deposits and unstaked amounts are credited to
/// `balances` and pulled with `withdraw()`. Worker earnings for running workloads live in Cloud.
/// @dev Design notes: hot worker data is packed in two slots (`WorkerCore`, `WorkerCapacity`) so that Cloud's
/// `reserve`/`release` touch at most three worker slots and two level slots.
contract Subnet is ISubnet, Ownable2Step, ReentrancyGuardTransient {
    // ---------------------------------------------------------------- types

    uint8 internal constant STATUS_NONE = 0;
    uint8 internal constant STATUS_ACTIVE = 1;
    uint8 internal constant STATUS_STOPPED = 2;

    uint8 internal constant COMPLAINT_NONE = 0;
    uint8 internal constant COMPLAINT_OPEN = 1;
    uint8 internal constant COMPLAINT_UPHELD = 2;
    uint8 internal constant COMPLAINT_REJECTED = 3;

    /// @notice Level prices (wei per block per unit), minimum worker stake and per-workload maximum resources.
    /// A level exists when `minStake > 0`.
    struct Level {
        uint64 priceCpu;
        uint64 priceMemory;
        uint64 priceDisk;
        uint64 priceGpu;
        uint128 minStake;
        uint32 maxCpu;
        uint32 maxMemory;
        uint32 maxDisk;
        uint16 maxGpu;
    }

    /// @notice What a worker operator declares: identity, placement, TEE types and capacity.
    struct WorkerSpec {
        string name;
        string endpoint;
        uint16 regionId;
        uint16 levelId;
        uint8 teeTypes;
        uint32 cpu;
        uint32 mem;
        uint32 disk;
        uint16 gpu;
    }

    /// @notice Everything known about a worker. `status`: 0 none, 1 active, 2 stopped. `active` = status active
    /// and stake at least the level's minimum (may take new workloads).
    struct WorkerView {
        uint64 id;
        address account;
        string name;
        string endpoint;
        uint16 regionId;
        uint16 levelId;
        uint8 teeTypes;
        uint8 status;
        bool active;
        uint64 stoppedAt;
        uint128 stake;
        Resources capacity;
        Resources used;
        uint32 workloads;
    }

    /// @notice A secret node. `status`: 0 none, 1 active, 2 left.
    struct SecretNode {
        address account;
        uint8 status;
        uint48 leftAt;
        uint128 stake;
        string endpoint;
        bytes encryptionKey;
    }

    /// @notice A complaint. `status`: 0 none, 1 open, 2 upheld, 3 rejected. The reason is only in the event.
    struct Complaint {
        address complainant;
        uint64 workerId;
        uint8 status;
        uint128 deposit;
        bytes32 evidenceHash;
    }

    struct WorkerCore {
        address account;
        uint16 regionId;
        uint16 levelId;
        uint8 teeTypes;
        uint8 status;
        uint48 stoppedAt;
    }

    struct WorkerCapacity {
        uint32 cpu;
        uint32 mem;
        uint32 disk;
        uint16 gpu;
        uint32 usedCpu;
        uint32 usedMemory;
        uint32 usedDisk;
        uint16 usedGpu;
        uint32 workloads;
    }

    struct WorkerRecord {
        WorkerCore core;
        WorkerCapacity cap;
        uint128 stake;
        string name;
        string endpoint;
    }

    // ---------------------------------------------------------------- errors

    error NotCloud();
    error NotWorkerAccount(uint64 workerId);
    error NotSecretNodeAccount(uint64 nodeId);
    error UnknownWorker(uint64 workerId);
    error UnknownRegion(uint16 regionId);
    error UnknownLevel(uint16 levelId);
    error UnknownSecretNode(uint64 nodeId);
    error UnknownComplaint(uint64 complaintId);
    error InvalidRegion();
    error InvalidLevel();
    error InvalidTeeTypes(uint8 teeTypes);
    error InvalidTeeType(uint8 teeType);
    error InvalidIdentity(uint8 teeType, uint256 length);
    error InvalidEncryptionKey();
    error InvalidBps(uint16 bps);
    error InvalidAddress();
    error WorkerNotActive(uint64 workerId);
    error WorkerNotStopped(uint64 workerId);
    error WorkerBusy(uint64 workerId, uint32 workloads);
    error WrongRegion(uint16 expected, uint16 actual);
    error WrongLevel(uint16 expected, uint16 actual);
    error TeeTypeNotSupported(uint8 requested, uint8 supported);
    error ResourcesAboveLevelMax();
    error InsufficientStake(uint128 stake, uint128 minStake);
    error InsufficientCapacity();
    error CapacityBelowUsed();
    error ReleaseExceedsReserved();
    error CooldownActive(uint64 availableAt);
    error NothingStaked();
    error ZeroValue();
    error PlatformAlreadyRegistered(uint64 workerId);
    error PlatformNotRegistered();
    error SecretNodeNotActive(uint64 nodeId);
    error SecretNodeNotLeft(uint64 nodeId);
    error DepositTooLow(uint256 deposit, uint128 minDeposit);
    error ComplaintNotOpen(uint64 complaintId);
    error NothingToWithdraw();
    error AmountExceedsTreasury(uint256 amount, uint256 treasury);
    error AmountTooLarge();
    error TransferFailed();
    error RenounceDisabled();

    // ---------------------------------------------------------------- events

    event CloudSet(address indexed cloud);
    event RegionSet(uint16 indexed regionId, string name);
    event LevelSet(
        uint16 indexed levelId,
        uint64 priceCpu,
        uint64 priceMemory,
        uint64 priceDisk,
        uint64 priceGpu,
        uint128 minStake,
        uint32 maxCpu,
        uint32 maxMemory,
        uint32 maxDisk,
        uint16 maxGpu
    );
    event UnstakeCooldownSet(uint64 blocks);
    event ComplaintParamsSet(uint128 minDeposit, uint16 complainantShareBps);
    event SecretNodeMinStakeSet(uint128 minStake);

    event WorkerRegistered(uint64 indexed workerId, address indexed account, string name, string endpoint);
    event WorkerUpdated(uint64 indexed workerId, string name, string endpoint);
    /// @notice Emitted on register and update with the worker's placement, TEE types and capacity.
    event WorkerConfigured(
        uint64 indexed workerId, uint16 regionId, uint16 levelId, uint8 teeTypes, uint32 cpu, uint32 mem, uint32 disk, uint16 gpu
    );
    event WorkerStaked(uint64 indexed workerId, address indexed from, uint256 amount, uint256 stake);
    event WorkerStopped(uint64 indexed workerId, uint64 stoppedAt);
    event WorkerUnstaked(uint64 indexed workerId, address indexed account, uint256 amount);

    event PlatformRegistered(uint64 indexed workerId, uint8 indexed teeType, bytes32 indexed platformKey, bytes identity);
    event PlatformRemoved(uint64 indexed workerId, uint8 indexed teeType, bytes32 indexed platformKey);

    event ComplaintFiled(
        uint64 indexed complaintId,
        uint64 indexed workerId,
        address indexed complainant,
        uint256 deposit,
        string reason,
        bytes32 evidenceHash
    );
    event ComplaintResolved(
        uint64 indexed complaintId, uint64 indexed workerId, bool upheld, uint256 slashed, uint256 toComplainant, uint256 toTreasury
    );

    event SecretNodeRegistered(uint64 indexed nodeId, address indexed account, string endpoint, bytes encryptionKey);
    event SecretNodeStaked(uint64 indexed nodeId, address indexed from, uint256 amount, uint256 stake);
    event SecretNodeLeft(uint64 indexed nodeId, uint64 leftAt);
    event SecretNodeUnstaked(uint64 indexed nodeId, address indexed account, uint256 amount);

    event Withdrawn(address indexed account, uint256 amount);
    event TreasuryWithdrawn(address indexed to, uint256 amount);

    // ---------------------------------------------------------------- storage

    /// @notice The Cloud contract allowed to reserve and release capacity.
    address public cloud;
    /// @notice Blocks a stopped worker or a departed secret node waits before unstaking.
    uint64 public unstakeCooldown;
    /// @notice Share of a slashed amount paid to the complainant, in basis points (the rest goes to the treasury).
    uint16 public complainantShareBps;

    /// @notice Minimum complaint deposit (wei).
    uint128 public complaintMinDeposit;
    /// @notice Minimum stake for a secret node (wei); informative for the committee selection.
    uint128 public secretNodeMinStake;

    /// @notice Next ids to be assigned (ids start at 0).
    uint64 public nextWorkerId;
    uint64 public nextSecretNodeId;
    uint64 public nextComplaintId;

    /// @notice Slashed stake and rejected deposits not yet withdrawn by the admin.
    uint256 public treasuryBalance;
    /// @notice Pull-payment balances (unstaked amounts, slash shares, returned deposits).
    mapping(address account => uint256) public balances;

    mapping(uint16 => string) internal _regions;
    mapping(uint16 => Level) internal _levels;
    mapping(uint64 => WorkerRecord) internal _workers;
    mapping(bytes32 => uint64) internal _platformWorkerPlusOne;
    mapping(uint64 => SecretNode) internal _secretNodes;
    mapping(uint64 => Complaint) internal _complaints;

    constructor(address admin) Ownable(admin) {}

    // ---------------------------------------------------------------- admin

    /// @notice Ownership is handed over (to a timelock), never renounced.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    function setCloud(address cloud_) external onlyOwner {
        if (cloud_ == address(0)) revert InvalidAddress();
        cloud = cloud_;
        emit CloudSet(cloud_);
    }

    /// @notice Creates or renames region `regionId`.
    function setRegion(uint16 regionId, string calldata name) external onlyOwner {
        if (bytes(name).length == 0) revert InvalidRegion();
        _regions[regionId] = name;
        emit RegionSet(regionId, name);
    }

    /// @notice Creates or changes level `levelId`. Prices apply to workloads created afterwards.
    function setLevel(uint16 levelId, Level calldata level) external onlyOwner {
        if (level.minStake == 0) revert InvalidLevel();
        _levels[levelId] = level;
        emit LevelSet(
            levelId,
            level.priceCpu,
            level.priceMemory,
            level.priceDisk,
            level.priceGpu,
            level.minStake,
            level.maxCpu,
            level.maxMemory,
            level.maxDisk,
            level.maxGpu
        );
    }

    function setUnstakeCooldown(uint64 blocks) external onlyOwner {
        unstakeCooldown = blocks;
        emit UnstakeCooldownSet(blocks);
    }

    function setComplaintParams(uint128 minDeposit, uint16 shareBps) external onlyOwner {
        if (shareBps > WeTEE.BPS) revert InvalidBps(shareBps);
        complaintMinDeposit = minDeposit;
        complainantShareBps = shareBps;
        emit ComplaintParamsSet(minDeposit, shareBps);
    }

    function setSecretNodeMinStake(uint128 minStake) external onlyOwner {
        secretNodeMinStake = minStake;
        emit SecretNodeMinStakeSet(minStake);
    }

    /// @notice Resolves an open complaint. Upheld: up to `slashAmount` of the worker's stake is slashed, split
    /// between complainant (`complainantShareBps`) and treasury, and the deposit is returned. Rejected: the
    /// deposit goes to the treasury.
    function resolveComplaint(uint64 complaintId, bool uphold, uint128 slashAmount) external onlyOwner {
        Complaint storage c = _complaints[complaintId];
        if (c.status == COMPLAINT_NONE) revert UnknownComplaint(complaintId);
        if (c.status != COMPLAINT_OPEN) revert ComplaintNotOpen(complaintId);
        uint64 workerId = c.workerId;
        uint256 deposit = c.deposit;
        if (!uphold) {
            c.status = COMPLAINT_REJECTED;
            treasuryBalance += deposit;
            emit ComplaintResolved(complaintId, workerId, false, 0, 0, deposit);
            return;
        }
        c.status = COMPLAINT_UPHELD;
        WorkerRecord storage w = _workers[workerId];
        uint128 stake = w.stake;
        uint128 slashed = slashAmount < stake ? slashAmount : stake;
        w.stake = stake - slashed;
        uint256 toComplainant = (uint256(slashed) * complainantShareBps) / WeTEE.BPS;
        uint256 toTreasury = slashed - toComplainant;
        balances[c.complainant] += deposit + toComplainant;
        treasuryBalance += toTreasury;
        emit ComplaintResolved(complaintId, workerId, true, slashed, toComplainant, toTreasury);
    }

    /// @notice Pays `amount` of the treasury balance to `to`.
    function withdrawTreasury(address to, uint256 amount) external onlyOwner nonReentrant {
        if (to == address(0)) revert InvalidAddress();
        uint256 treasury = treasuryBalance;
        if (amount > treasury) revert AmountExceedsTreasury(amount, treasury);
        treasuryBalance = treasury - amount;
        emit TreasuryWithdrawn(to, amount);
        _send(to, amount);
    }

    // ---------------------------------------------------------------- workers

    /// @notice Registers a worker operated by `msg.sender`. Stake with `stakeWorker` to become active.
    function registerWorker(WorkerSpec calldata spec) external returns (uint64 workerId) {
        _checkPlacement(spec);
        workerId = nextWorkerId++;
        WorkerRecord storage w = _workers[workerId];
        w.core = WorkerCore({
            account: msg.sender,
            regionId: spec.regionId,
            levelId: spec.levelId,
            teeTypes: spec.teeTypes,
            status: STATUS_ACTIVE,
            stoppedAt: 0
        });
        w.cap = WorkerCapacity({
            cpu: spec.cpu,
            mem: spec.mem,
            disk: spec.disk,
            gpu: spec.gpu,
            usedCpu: 0,
            usedMemory: 0,
            usedDisk: 0,
            usedGpu: 0,
            workloads: 0
        });
        w.name = spec.name;
        w.endpoint = spec.endpoint;
        emit WorkerRegistered(workerId, msg.sender, spec.name, spec.endpoint);
        _emitConfigured(workerId, spec);
    }

    /// @notice Updates a worker's declaration. Region and level change only without workloads; capacity never
    /// drops below what is reserved.
    function updateWorker(uint64 workerId, WorkerSpec calldata spec) external {
        WorkerRecord storage w = _ownWorker(workerId);
        _checkPlacement(spec);
        WorkerCapacity memory cap = w.cap;
        WorkerCore memory core = w.core;
        if ((spec.regionId != core.regionId || spec.levelId != core.levelId) && cap.workloads != 0) {
            revert WorkerBusy(workerId, cap.workloads);
        }
        if (spec.cpu < cap.usedCpu || spec.mem < cap.usedMemory || spec.disk < cap.usedDisk || spec.gpu < cap.usedGpu)
        {
            revert CapacityBelowUsed();
        }
        core.regionId = spec.regionId;
        core.levelId = spec.levelId;
        core.teeTypes = spec.teeTypes;
        w.core = core;
        cap.cpu = spec.cpu;
        cap.mem = spec.mem;
        cap.disk = spec.disk;
        cap.gpu = spec.gpu;
        w.cap = cap;
        w.name = spec.name;
        w.endpoint = spec.endpoint;
        emit WorkerUpdated(workerId, spec.name, spec.endpoint);
        _emitConfigured(workerId, spec);
    }

    /// @notice Adds `msg.value` to a worker's stake (anyone may top up).
    function stakeWorker(uint64 workerId) external payable {
        if (msg.value == 0) revert ZeroValue();
        WorkerRecord storage w = _workers[workerId];
        if (w.core.status == STATUS_NONE) revert UnknownWorker(workerId);
        uint256 stake = w.stake + msg.value;
        if (stake > type(uint128).max) revert AmountTooLarge();
        w.stake = uint128(stake);
        emit WorkerStaked(workerId, msg.sender, msg.value, stake);
    }

    /// @notice Stops a worker: it takes no new workloads and its unstake cooldown starts.
    function stopWorker(uint64 workerId) external {
        WorkerRecord storage w = _ownWorker(workerId);
        if (w.core.status != STATUS_ACTIVE) revert WorkerNotActive(workerId);
        w.core.status = STATUS_STOPPED;
        w.core.stoppedAt = uint48(block.number);
        emit WorkerStopped(workerId, uint64(block.number));
    }

    /// @notice Credits a stopped worker's whole stake to its account once the cooldown has passed and no
    /// workload is left on it.
    function unstakeWorker(uint64 workerId) external {
        WorkerRecord storage w = _ownWorker(workerId);
        WorkerCore memory core = w.core;
        if (core.status != STATUS_STOPPED) revert WorkerNotStopped(workerId);
        uint64 availableAt = uint64(core.stoppedAt) + unstakeCooldown;
        if (block.number < availableAt) revert CooldownActive(availableAt);
        uint32 workloads = w.cap.workloads;
        if (workloads != 0) revert WorkerBusy(workerId, workloads);
        uint128 stake = w.stake;
        if (stake == 0) revert NothingStaked();
        w.stake = 0;
        balances[core.account] += stake;
        emit WorkerUnstaked(workerId, core.account, stake);
    }

    /// @notice Records that the platform `identity` of TEE type `teeType` belongs to `workerId`.
    /// Identity bytes: SIMULATED = 33-byte compressed secp256k1 platform key; SGX/TDX = PPID(16) || FMSPC(6);
    /// SEV_SNP = 64-byte chip id.
    function registerPlatform(uint64 workerId, uint8 teeType, bytes calldata identity) external {
        WorkerRecord storage w = _ownWorker(workerId);
        if (teeType > WeTEE.TEE_SEV_SNP || (w.core.teeTypes >> teeType) & 1 == 0) revert InvalidTeeType(teeType);
        _checkIdentity(teeType, identity);
        bytes32 key = platformKey(teeType, identity);
        uint64 existing = _platformWorkerPlusOne[key];
        if (existing != 0) revert PlatformAlreadyRegistered(existing - 1);
        _platformWorkerPlusOne[key] = workerId + 1;
        emit PlatformRegistered(workerId, teeType, key, identity);
    }

    /// @notice Removes a platform identity of `workerId` (by its account or the admin).
    function removePlatform(uint64 workerId, uint8 teeType, bytes calldata identity) external {
        WorkerRecord storage w = _workers[workerId];
        if (w.core.status == STATUS_NONE) revert UnknownWorker(workerId);
        if (msg.sender != w.core.account && msg.sender != owner()) revert NotWorkerAccount(workerId);
        bytes32 key = platformKey(teeType, identity);
        if (_platformWorkerPlusOne[key] != workerId + 1) revert PlatformNotRegistered();
        delete _platformWorkerPlusOne[key];
        emit PlatformRemoved(workerId, teeType, key);
    }

    /// @notice Files a complaint against a worker with a deposit of at least `complaintMinDeposit`.
    function complain(uint64 workerId, string calldata reason, bytes32 evidenceHash)
        external
        payable
        returns (uint64 complaintId)
    {
        if (_workers[workerId].core.status == STATUS_NONE) revert UnknownWorker(workerId);
        uint128 minDeposit = complaintMinDeposit;
        if (msg.value < minDeposit || msg.value == 0) revert DepositTooLow(msg.value, minDeposit);
        if (msg.value > type(uint128).max) revert AmountTooLarge();
        complaintId = nextComplaintId++;
        _complaints[complaintId] = Complaint({
            complainant: msg.sender,
            workerId: workerId,
            status: COMPLAINT_OPEN,
            deposit: uint128(msg.value),
            evidenceHash: evidenceHash
        });
        emit ComplaintFiled(complaintId, workerId, msg.sender, msg.value, reason, evidenceHash);
    }

    // ---------------------------------------------------------------- capacity (Cloud only)

    /// @inheritdoc ISubnet
    function reserve(uint64 workerId, uint16 levelId, uint16 regionId, uint8 teeTypes, Resources calldata res)
        external
        returns (uint256 pricePerBlock)
    {
        if (msg.sender != cloud) revert NotCloud();
        WorkerRecord storage w = _workers[workerId];
        WorkerCore memory core = w.core;
        if (core.status != STATUS_ACTIVE) {
            if (core.status == STATUS_NONE) revert UnknownWorker(workerId);
            revert WorkerNotActive(workerId);
        }
        if (core.regionId != regionId) revert WrongRegion(core.regionId, regionId);
        if (core.levelId != levelId) revert WrongLevel(core.levelId, levelId);
        if (teeTypes & core.teeTypes == 0) revert TeeTypeNotSupported(teeTypes, core.teeTypes);
        Level memory level = _levels[levelId];
        if (res.cpu > level.maxCpu || res.mem > level.maxMemory || res.disk > level.maxDisk || res.gpu > level.maxGpu)
        {
            revert ResourcesAboveLevelMax();
        }
        uint128 stake = w.stake;
        if (stake < level.minStake) revert InsufficientStake(stake, level.minStake);
        WorkerCapacity memory cap = w.cap;
        unchecked {
            // uint32/uint16 sums widened to uint64/uint32 cannot overflow.
            if (
                uint64(cap.usedCpu) + res.cpu > cap.cpu || uint64(cap.usedMemory) + res.mem > cap.mem
                    || uint64(cap.usedDisk) + res.disk > cap.disk || uint32(cap.usedGpu) + res.gpu > cap.gpu
            ) revert InsufficientCapacity();
            cap.usedCpu += res.cpu;
            cap.usedMemory += res.mem;
            cap.usedDisk += res.disk;
            cap.usedGpu += res.gpu;
            cap.workloads += 1;
        }
        w.cap = cap;
        pricePerBlock = uint256(res.cpu) * level.priceCpu + uint256(res.mem) * level.priceMemory
            + uint256(res.disk) * level.priceDisk + uint256(res.gpu) * level.priceGpu;
    }

    /// @inheritdoc ISubnet
    function release(uint64 workerId, Resources calldata res) external {
        if (msg.sender != cloud) revert NotCloud();
        WorkerRecord storage w = _workers[workerId];
        WorkerCapacity memory cap = w.cap;
        if (
            cap.workloads == 0 || cap.usedCpu < res.cpu || cap.usedMemory < res.mem || cap.usedDisk < res.disk
                || cap.usedGpu < res.gpu
        ) revert ReleaseExceedsReserved();
        unchecked {
            cap.usedCpu -= res.cpu;
            cap.usedMemory -= res.mem;
            cap.usedDisk -= res.disk;
            cap.usedGpu -= res.gpu;
            cap.workloads -= 1;
        }
        w.cap = cap;
    }

    // ---------------------------------------------------------------- secret nodes

    /// @notice Registers a secret node operated by `msg.sender` with its 33-byte compressed secp256k1
    /// encryption key.
    function registerSecretNode(string calldata endpoint, bytes calldata encryptionKey) external returns (uint64 nodeId) {
        if (encryptionKey.length != 33 || (encryptionKey[0] != 0x02 && encryptionKey[0] != 0x03)) {
            revert InvalidEncryptionKey();
        }
        nodeId = nextSecretNodeId++;
        SecretNode storage n = _secretNodes[nodeId];
        n.account = msg.sender;
        n.status = STATUS_ACTIVE;
        n.endpoint = endpoint;
        n.encryptionKey = encryptionKey;
        emit SecretNodeRegistered(nodeId, msg.sender, endpoint, encryptionKey);
    }

    /// @notice Adds `msg.value` to an active secret node's stake.
    function stakeSecretNode(uint64 nodeId) external payable {
        if (msg.value == 0) revert ZeroValue();
        SecretNode storage n = _secretNodes[nodeId];
        if (n.status != STATUS_ACTIVE) {
            if (n.status == STATUS_NONE) revert UnknownSecretNode(nodeId);
            revert SecretNodeNotActive(nodeId);
        }
        uint256 stake = n.stake + msg.value;
        if (stake > type(uint128).max) revert AmountTooLarge();
        n.stake = uint128(stake);
        emit SecretNodeStaked(nodeId, msg.sender, msg.value, stake);
    }

    /// @notice The node leaves; its unstake cooldown starts.
    function leaveSecretNode(uint64 nodeId) external {
        SecretNode storage n = _ownSecretNode(nodeId);
        if (n.status != STATUS_ACTIVE) revert SecretNodeNotActive(nodeId);
        n.status = STATUS_STOPPED;
        n.leftAt = uint48(block.number);
        emit SecretNodeLeft(nodeId, uint64(block.number));
    }

    /// @notice Credits a departed node's stake to its account after the cooldown.
    function unstakeSecretNode(uint64 nodeId) external {
        SecretNode storage n = _ownSecretNode(nodeId);
        if (n.status != STATUS_STOPPED) revert SecretNodeNotLeft(nodeId);
        uint64 availableAt = uint64(n.leftAt) + unstakeCooldown;
        if (block.number < availableAt) revert CooldownActive(availableAt);
        uint128 stake = n.stake;
        if (stake == 0) revert NothingStaked();
        n.stake = 0;
        balances[n.account] += stake;
        emit SecretNodeUnstaked(nodeId, n.account, stake);
    }

    // ---------------------------------------------------------------- payments

    /// @notice Pays the caller's whole pull-payment balance.
    function withdraw() external nonReentrant {
        uint256 amount = balances[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        balances[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        _send(msg.sender, amount);
    }

    // ---------------------------------------------------------------- views

    function getRegion(uint16 regionId) external view returns (string memory name) {
        name = _regions[regionId];
        if (bytes(name).length == 0) revert UnknownRegion(regionId);
    }

    function getLevel(uint16 levelId) external view returns (Level memory level) {
        level = _levels[levelId];
        if (level.minStake == 0) revert UnknownLevel(levelId);
    }

    function getWorker(uint64 workerId) external view returns (WorkerView memory v) {
        WorkerRecord storage w = _workers[workerId];
        WorkerCore memory core = w.core;
        if (core.status == STATUS_NONE) revert UnknownWorker(workerId);
        WorkerCapacity memory cap = w.cap;
        v.id = workerId;
        v.account = core.account;
        v.name = w.name;
        v.endpoint = w.endpoint;
        v.regionId = core.regionId;
        v.levelId = core.levelId;
        v.teeTypes = core.teeTypes;
        v.status = core.status;
        v.stoppedAt = core.stoppedAt;
        v.stake = w.stake;
        v.active = core.status == STATUS_ACTIVE && w.stake >= _levels[core.levelId].minStake;
        v.capacity = Resources(cap.cpu, cap.mem, cap.disk, cap.gpu);
        v.used = Resources(cap.usedCpu, cap.usedMemory, cap.usedDisk, cap.usedGpu);
        v.workloads = cap.workloads;
    }

    /// @inheritdoc ISubnet
    function workerAccount(uint64 workerId) external view returns (address) {
        return _workers[workerId].core.account;
    }

    /// @notice Whether the worker may take new workloads (active and staked at least the level minimum).
    function isWorkerActive(uint64 workerId) external view returns (bool) {
        WorkerRecord storage w = _workers[workerId];
        return w.core.status == STATUS_ACTIVE && w.stake >= _levels[w.core.levelId].minStake;
    }

    /// @notice The storage key of a platform identity: `keccak256(abi.encode(teeType, identity))`.
    function platformKey(uint8 teeType, bytes calldata identity) public pure returns (bytes32) {
        return keccak256(abi.encode(teeType, identity));
    }

    /// @notice Which worker registered the platform identity, if any.
    function platformWorker(uint8 teeType, bytes calldata identity) external view returns (bool registered, uint64 workerId) {
        return platformWorkerByKey(platformKey(teeType, identity));
    }

    function platformWorkerByKey(bytes32 key) public view returns (bool registered, uint64 workerId) {
        uint64 plusOne = _platformWorkerPlusOne[key];
        return plusOne == 0 ? (false, 0) : (true, plusOne - 1);
    }

    function getSecretNode(uint64 nodeId) external view returns (SecretNode memory node) {
        node = _secretNodes[nodeId];
        if (node.status == STATUS_NONE) revert UnknownSecretNode(nodeId);
    }

    function getComplaint(uint64 complaintId) external view returns (Complaint memory complaint) {
        complaint = _complaints[complaintId];
        if (complaint.status == COMPLAINT_NONE) revert UnknownComplaint(complaintId);
    }

    // ---------------------------------------------------------------- internals

    function _ownWorker(uint64 workerId) internal view returns (WorkerRecord storage w) {
        w = _workers[workerId];
        address account = w.core.account;
        if (account == address(0)) revert UnknownWorker(workerId);
        if (account != msg.sender) revert NotWorkerAccount(workerId);
    }

    function _ownSecretNode(uint64 nodeId) internal view returns (SecretNode storage n) {
        n = _secretNodes[nodeId];
        address account = n.account;
        if (account == address(0)) revert UnknownSecretNode(nodeId);
        if (account != msg.sender) revert NotSecretNodeAccount(nodeId);
    }

    function _checkPlacement(WorkerSpec calldata spec) internal view {
        if (bytes(_regions[spec.regionId]).length == 0) revert UnknownRegion(spec.regionId);
        if (_levels[spec.levelId].minStake == 0) revert UnknownLevel(spec.levelId);
        if (spec.teeTypes == 0 || spec.teeTypes & ~WeTEE.TEE_MASK != 0) revert InvalidTeeTypes(spec.teeTypes);
    }

    function _checkIdentity(uint8 teeType, bytes calldata identity) internal pure {
        uint256 expected;
        if (teeType == WeTEE.TEE_SIMULATED) expected = 33;
        else if (teeType == WeTEE.TEE_SEV_SNP) expected = 64;
        else expected = 22; // SGX and TDX: PPID (16) || FMSPC (6)
        if (identity.length != expected) revert InvalidIdentity(teeType, identity.length);
        if (teeType == WeTEE.TEE_SIMULATED && identity[0] != 0x02 && identity[0] != 0x03) {
            revert InvalidIdentity(teeType, identity.length);
        }
    }

    function _emitConfigured(uint64 workerId, WorkerSpec calldata spec) internal {
        emit WorkerConfigured(
            workerId, spec.regionId, spec.levelId, spec.teeTypes, spec.cpu, spec.mem, spec.disk, spec.gpu
        );
    }

    function _send(address to, uint256 amount) internal {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }
}
