// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ICommittee, Verdict} from "./WeTEE.sol";

/// @title Committee: member sets per epoch, the DKG bulletin board, and verification of attestation verdicts.
/// @notice Design notes: a verdict set is accepted when at least `quorum` distinct members of the CURRENT epoch
/// signed the same EIP-712 `Verdict` struct (domain "WeTEE Committee", version "1", this chain, this contract).
/// Signatures must be ordered by strictly ascending signer address, which makes distinctness an O(1) check per
/// signature; OZ ECDSA rejects high-s and malformed signatures. Member sets are set by the admin (owner,
/// Ownable2Step, to be handed to a timelock).
/// DKG (wetee-crypto README, "DKG messages"): `setEpoch` opens a run for the new epoch with three phases counted in
/// blocks (deal, complaint, reveal). A fresh run when no epoch has a key yet; otherwise a resharing of the latest
/// keyed epoch (its members deal, at their old indices). Messages are stored nowhere: they travel in calldata and
/// events, checked only for header, session id, phase, and that `msg.sender` is the member at the message's
/// dealer (deal, reveal) or accuser (complaint) index, since the messages carry no signature. After the reveal phase
/// each member confirms the group key and the members' verification keys it computed; the first result that
/// `quorum` members confirm becomes the epoch's key (for resharing it must equal the previous group key).
contract Committee is ICommittee, Ownable2Step, EIP712 {
    /// @notice EIP-712 type hash of `Verdict`. Part of the protocol: do not change.
    bytes32 public constant VERDICT_TYPEHASH = keccak256(
        "Verdict(uint64 workloadId,uint32 version,address instance,uint8 teeType,bytes32 measurementHash,uint8 tcbStatus,uint64 issuedAt,uint64 expiresAt)"
    );

    error InvalidEpoch(uint64 expected, uint64 given);
    error InvalidQuorum(uint256 quorum, uint256 members);
    error InvalidMember(address member);
    error NoCommittee();
    error NotEnoughSignatures(uint256 given, uint256 quorum);
    error SignersNotAscending(uint256 index);
    error NotMember(address signer);
    error RenounceDisabled();
    error InvalidPhases();
    error DkgNotOpen(uint64 epoch);
    error WrongPhase(uint64 epoch, uint8 phase);
    error BadMessage();
    error NotDealer(address sender, uint16 dealer);
    error NotRecipient(address sender, uint16 accuser);
    error AlreadyPosted();
    error AlreadyConfirmed(address member);
    error InvalidGroupKey();
    error KeyChanged();

    /// @notice Emitted when an epoch's member set becomes current.
    event EpochSet(uint64 indexed epoch, address[] members, uint16 quorum);

    /// @notice DKG phases in blocks for runs opened afterwards.
    event DkgPhasesSet(uint32 dealBlocks, uint32 complaintBlocks, uint32 revealBlocks);
    /// @notice A DKG run opened for `epoch`: fresh when `previousEpoch` is 0, else a resharing of its key. Each phase
    /// lasts up to and including its end block.
    event DkgStarted(uint64 indexed epoch, uint64 previousEpoch, uint64 dealEnd, uint64 complaintEnd, uint64 revealEnd);
    event DkgDeal(uint64 indexed epoch, uint16 indexed dealer, bytes message);
    event DkgComplaint(uint64 indexed epoch, uint16 indexed accuser, uint16 accused, bytes message);
    event DkgReveal(uint64 indexed epoch, uint16 indexed dealer, uint16 accuser, bytes message);
    event DkgConfirmed(uint64 indexed epoch, address indexed member, bytes32 resultHash);
    /// @notice `epoch` has a key: the group key (33 bytes) and every member's verification key (33 bytes each, in
    /// member order); `resultHash = keccak256(abi.encode(groupKey, verificationKeys))`.
    event GroupKeySet(uint64 indexed epoch, bytes groupKey, bytes verificationKeys, bytes32 resultHash);

    uint8 public constant PHASE_DEAL = 1;
    uint8 public constant PHASE_COMPLAINT = 2;
    uint8 public constant PHASE_REVEAL = 3;
    uint8 public constant PHASE_CONFIRM = 4;

    struct DkgRound {
        uint64 previous;
        uint40 dealEnd;
        uint40 complaintEnd;
        uint40 revealEnd;
        bool completed;
    }

    struct Phases {
        uint32 deal;
        uint32 complaint;
        uint32 reveal;
    }

    struct Current {
        uint64 epoch;
        uint16 quorum;
        uint16 size;
    }

    Current internal _current;
    mapping(uint64 epoch => address[]) internal _members;
    mapping(uint64 epoch => mapping(address => bool)) internal _isMember;

    Phases internal _phases;
    /// @dev The latest epoch whose DKG completed (0: none).
    uint64 internal _activeEpoch;
    mapping(uint64 epoch => uint16) internal _quorumOf;
    mapping(uint64 epoch => mapping(address => uint16)) internal _indexOf;
    mapping(uint64 epoch => DkgRound) internal _dkg;
    mapping(uint64 epoch => mapping(bytes32 => bool)) internal _posted;
    mapping(uint64 epoch => mapping(bytes32 => uint16)) internal _confirmations;
    mapping(uint64 epoch => mapping(address => bool)) internal _confirmed;
    mapping(uint64 epoch => bytes) internal _groupKeys;
    mapping(uint64 epoch => bytes) internal _verificationKeys;

    constructor(address admin) Ownable(admin) EIP712("WeTEE Committee", "1") {
        _phases = Phases({deal: 5, complaint: 3, reveal: 3});
    }

    /// @notice Phase lengths in blocks of DKG runs opened afterwards (each at least 1).
    function setDkgPhases(uint32 dealBlocks, uint32 complaintBlocks, uint32 revealBlocks) external onlyOwner {
        if (dealBlocks == 0 || complaintBlocks == 0 || revealBlocks == 0) revert InvalidPhases();
        _phases = Phases({deal: dealBlocks, complaint: complaintBlocks, reveal: revealBlocks});
        emit DkgPhasesSet(dealBlocks, complaintBlocks, revealBlocks);
    }

    /// @notice Ownership is handed over (to a timelock), never renounced.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    /// @notice Makes `members` with `quorum` the current committee as epoch `epoch` (must be current + 1).
    /// The quorum must be a strict majority: n/2 < quorum <= n.
    function setEpoch(uint64 epoch, address[] calldata memberList, uint16 quorum_) external onlyOwner {
        uint64 expected = _current.epoch + 1;
        if (epoch != expected) revert InvalidEpoch(expected, epoch);
        uint256 n = memberList.length;
        if (n == 0 || n > type(uint16).max || uint256(quorum_) * 2 <= n || quorum_ > n) {
            revert InvalidQuorum(quorum_, n);
        }
        mapping(address => bool) storage memberSet = _isMember[epoch];
        for (uint256 i; i < n; ++i) {
            address m = memberList[i];
            if (m == address(0) || memberSet[m]) revert InvalidMember(m);
            memberSet[m] = true;
            _indexOf[epoch][m] = uint16(i + 1);
        }
        _members[epoch] = memberList;
        _quorumOf[epoch] = quorum_;
        _current = Current({epoch: epoch, quorum: quorum_, size: uint16(n)});
        emit EpochSet(epoch, memberList, quorum_);
        _openDkg(epoch);
    }

    function _openDkg(uint64 epoch) internal {
        Phases memory p = _phases;
        uint40 dealEnd = uint40(block.number) + p.deal;
        uint40 complaintEnd = dealEnd + p.complaint;
        uint40 revealEnd = complaintEnd + p.reveal;
        uint64 previous = _activeEpoch;
        _dkg[epoch] = DkgRound({
            previous: previous,
            dealEnd: dealEnd,
            complaintEnd: complaintEnd,
            revealEnd: revealEnd,
            completed: false
        });
        emit DkgStarted(epoch, previous, dealEnd, complaintEnd, revealEnd);
    }

    // ---------------------------------------------------------------- DKG bulletin board

    /// @notice Posts a Deal (type 0x01) from the dealer at the message's dealer index, during the deal phase.
    function dkgDeal(uint64 epoch, bytes calldata message) external {
        DkgRound memory d = _open(epoch);
        if (block.number > d.dealEnd) revert WrongPhase(epoch, PHASE_DEAL);
        uint16 dealer = _message(epoch, message, 1, 36);
        _requireDealer(d, epoch, dealer);
        _once(epoch, keccak256(abi.encode(uint8(1), dealer)));
        emit DkgDeal(epoch, dealer, message);
    }

    /// @notice Posts a Complaint (type 0x02, 38 bytes) from the recipient at the accuser index.
    function dkgComplain(uint64 epoch, bytes calldata message) external {
        DkgRound memory d = _open(epoch);
        if (block.number <= d.dealEnd || block.number > d.complaintEnd) revert WrongPhase(epoch, PHASE_COMPLAINT);
        uint16 accuser = _message(epoch, message, 2, 38);
        if (message.length != 38) revert BadMessage();
        if (_indexOf[epoch][msg.sender] != accuser) revert NotRecipient(msg.sender, accuser);
        uint16 accused = uint16(bytes2(message[36:38]));
        _once(epoch, keccak256(abi.encode(uint8(2), accuser, accused)));
        emit DkgComplaint(epoch, accuser, accused, message);
    }

    /// @notice Posts a Reveal (type 0x03, 70 bytes) from the accused dealer.
    function dkgReveal(uint64 epoch, bytes calldata message) external {
        DkgRound memory d = _open(epoch);
        if (block.number <= d.complaintEnd || block.number > d.revealEnd) revert WrongPhase(epoch, PHASE_REVEAL);
        uint16 dealer = _message(epoch, message, 3, 70);
        if (message.length != 70) revert BadMessage();
        _requireDealer(d, epoch, dealer);
        uint16 accuser = uint16(bytes2(message[36:38]));
        _once(epoch, keccak256(abi.encode(uint8(3), dealer, accuser)));
        emit DkgReveal(epoch, dealer, accuser, message);
    }

    /// @notice A member confirms the result it computed after the reveal phase: the group key and the verification
    /// keys of all members in member order (33 bytes each). The first result `quorum` members confirm is the key.
    function dkgConfirm(uint64 epoch, bytes calldata groupKey_, bytes calldata verificationKeys) external {
        DkgRound memory d = _open(epoch);
        if (block.number <= d.revealEnd) revert WrongPhase(epoch, PHASE_CONFIRM);
        if (_indexOf[epoch][msg.sender] == 0) revert NotMember(msg.sender);
        if (_confirmed[epoch][msg.sender]) revert AlreadyConfirmed(msg.sender);
        if (!_isPoint(groupKey_) || verificationKeys.length != 33 * _members[epoch].length) revert InvalidGroupKey();
        if (d.previous != 0 && keccak256(groupKey_) != keccak256(_groupKeys[d.previous])) revert KeyChanged();
        _confirmed[epoch][msg.sender] = true;
        bytes32 result = keccak256(abi.encode(groupKey_, verificationKeys));
        uint16 count = _confirmations[epoch][result] + 1;
        _confirmations[epoch][result] = count;
        emit DkgConfirmed(epoch, msg.sender, result);
        if (count >= _quorumOf[epoch]) {
            _dkg[epoch].completed = true;
            _groupKeys[epoch] = groupKey_;
            _verificationKeys[epoch] = verificationKeys;
            if (epoch > _activeEpoch) _activeEpoch = epoch;
            emit GroupKeySet(epoch, groupKey_, verificationKeys, result);
        }
    }

    /// @notice The session id bound into every DKG message and share of `epoch` (wetee-crypto DkgSession.deriveId).
    function dkgSessionId(uint64 epoch) public view returns (bytes32) {
        return keccak256(abi.encodePacked("wetee-dkg-v1", block.chainid, address(this), epoch));
    }

    /// @notice The DKG run of `epoch` (all zero if none was opened).
    function dkgRound(uint64 epoch) external view returns (DkgRound memory) {
        return _dkg[epoch];
    }

    function dkgPhases() external view returns (Phases memory) {
        return _phases;
    }

    /// @notice The latest epoch with a key (0: none yet).
    function activeEpoch() external view returns (uint64) {
        return _activeEpoch;
    }

    /// @notice The active group key (empty before the first DKG completes).
    function groupKey() external view returns (bytes memory) {
        return _groupKeys[_activeEpoch];
    }

    /// @notice An epoch's key: group key, members' verification keys (33 bytes each) and threshold (its quorum).
    function keyOf(uint64 epoch)
        external
        view
        returns (bytes memory groupKey_, bytes memory verificationKeys, uint16 threshold)
    {
        return (_groupKeys[epoch], _verificationKeys[epoch], _quorumOf[epoch]);
    }

    /// @notice 1-based index of `account` in `epoch`'s member list, 0 if not a member.
    function memberIndex(uint64 epoch, address account) external view returns (uint16) {
        return _indexOf[epoch][account];
    }

    function quorumOf(uint64 epoch) external view returns (uint16) {
        return _quorumOf[epoch];
    }

    function _open(uint64 epoch) internal view returns (DkgRound memory d) {
        d = _dkg[epoch];
        if (d.dealEnd == 0 || d.completed || epoch != _current.epoch) revert DkgNotOpen(epoch);
    }

    /// @dev Checks version, type, minimum length and session id; returns the first index (dealer or accuser).
    function _message(uint64 epoch, bytes calldata m, uint8 kind, uint256 minLength) internal view returns (uint16) {
        if (m.length < minLength || uint8(m[0]) != 1 || uint8(m[1]) != kind) revert BadMessage();
        if (bytes32(m[2:34]) != dkgSessionId(epoch)) revert BadMessage();
        uint16 index = uint16(bytes2(m[34:36]));
        if (index == 0) revert BadMessage();
        return index;
    }

    function _requireDealer(DkgRound memory d, uint64 epoch, uint16 dealer) internal view {
        uint64 dealers = d.previous == 0 ? epoch : d.previous;
        if (_indexOf[dealers][msg.sender] != dealer) revert NotDealer(msg.sender, dealer);
    }

    function _once(uint64 epoch, bytes32 key) internal {
        if (_posted[epoch][key]) revert AlreadyPosted();
        _posted[epoch][key] = true;
    }

    function _isPoint(bytes calldata key) internal pure returns (bool) {
        return key.length == 33 && (key[0] == 0x02 || key[0] == 0x03);
    }

    /// @inheritdoc ICommittee
    /// @dev Returns true or reverts with the reason: `NoCommittee`, `NotEnoughSignatures`, `SignersNotAscending`,
    /// `NotMember`, or OZ `ECDSAInvalidSignature*`.
    function verify(Verdict calldata verdict, bytes[] calldata signatures) external view returns (bool) {
        Current memory c = _current;
        if (c.epoch == 0) revert NoCommittee();
        uint256 n = signatures.length;
        if (n < c.quorum) revert NotEnoughSignatures(n, c.quorum);
        bytes32 digest = verdictDigest(verdict);
        mapping(address => bool) storage memberSet = _isMember[c.epoch];
        address previous;
        for (uint256 i; i < n; ++i) {
            address signer = ECDSA.recoverCalldata(digest, signatures[i]);
            if (signer <= previous) revert SignersNotAscending(i);
            if (!memberSet[signer]) revert NotMember(signer);
            previous = signer;
        }
        return true;
    }

    /// @notice The EIP-712 digest members sign for `verdict`.
    function verdictDigest(Verdict calldata verdict) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VERDICT_TYPEHASH, verdict)));
    }

    /// @notice The domain separator of this contract.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function currentEpoch() external view returns (uint64) {
        return _current.epoch;
    }

    function quorum() external view returns (uint16) {
        return _current.quorum;
    }

    /// @notice Members of `epoch` in the order they were set.
    function members(uint64 epoch) external view returns (address[] memory) {
        return _members[epoch];
    }

    /// @notice Current epoch, its members and quorum.
    function currentCommittee() external view returns (uint64 epoch, address[] memory memberList, uint16 quorum_) {
        Current memory c = _current;
        return (c.epoch, _members[c.epoch], c.quorum);
    }

    function isMember(uint64 epoch, address account) external view returns (bool) {
        return _isMember[epoch][account];
    }
}
